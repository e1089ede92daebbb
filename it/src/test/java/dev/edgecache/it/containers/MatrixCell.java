package dev.edgecache.it.containers;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * One cell of the call-order matrix: how the application writes, when, what it answers, how the
 * filter is mapped and who asks. Its text form is the path the application reads it from, so
 * that every cell has keys of its own.
 *
 * @param channel the writer or the stream
 * @param size below or above every container's buffer and the writer's old 8 KiB
 * @param flush whether the application flushes halfway
 * @param length whether it declares its length first
 * @param answer what it answers, and how (error page, redirect, reset, failure)
 * @param when on the request's thread, or after going async one of the ways applications do
 * @param mapping whether the filter is mapped for {@code ASYNC} dispatches too
 * @param who one client, several at once (collapsed), or one that leaves after the head
 * @param coding the coding its clients ask for: none, gzip, or br (which the cache makes itself)
 * @param method GET, or HEAD
 */
record MatrixCell(Channel channel, Size size, Flush flush, Length length, Answer answer, When when, Mapping mapping,
    Who who, Coding coding, Method method) {

  enum Channel { WRITER, STREAM }

  enum Size {
    SMALL(100), LARGE(40 * 1024);

    final int bytes;

    Size(int bytes) {
      this.bytes = bytes;
    }
  }

  enum Flush { NONE, MIDWAY }

  enum Length { UNDECLARED, DECLARED }

  enum Answer {
    /** {@code public, max-age=60}: stored, then hits. */
    CACHEABLE,
    /** {@code private}: never stored; every client gets its own call. */
    UNCACHEABLE,
    /** {@code no-cache} with an ETag: stored, revalidated each time, and the origin answers 304. */
    NOT_MODIFIED,
    /** {@code sendError(404)}: the container's error page, never stored. */
    ERROR_PAGE,
    /** {@code sendRedirect}: a 302, never stored. */
    REDIRECT,
    /** Some bytes, {@code reset()}, then the page: the client gets the page alone; not stored. */
    RESET,
    /** Some bytes, {@code resetBuffer()}, then the page: likewise. */
    RESET_BUFFER,
    /** Half the page, then an exception: never a whole-looking response, never stored. */
    THROW
  }

  enum When {
    SYNC,
    /** {@code startAsync(req, res)}, written on a thread of the application's. */
    ASYNC_THREAD,
    /** {@code startAsync()} without arguments, the response it was given written on {@code AsyncContext.start}. */
    ASYNC_PLAIN,
    /** {@code startAsync(req, res)}, written on {@code AsyncContext.start}. */
    ASYNC_START,
    /** {@code startAsync(req, res)} then {@code dispatch()}: written on the ASYNC dispatch. */
    DISPATCH
  }

  enum Mapping { REQUEST, REQUEST_ASYNC }

  enum Who { ONE, COLLAPSED, LEAVES }

  /** What the clients of a cell send as {@code Accept-Encoding}. */
  enum Coding {
    IDENTITY(), GZIP("Accept-Encoding: gzip"), BR("Accept-Encoding: gzip, deflate, br");

    private final String[] fields;

    Coding(String... fields) {
      this.fields = fields;
    }

    /** The request's header fields, as lines. */
    String[] fields() {
      return fields.clone();
    }
  }

  enum Method { GET, HEAD }

  /** The dimensions, each as the list of its values, in the order of the record's components. */
  static List<List<Enum<?>>> dimensions() {
    return List.of(List.of(Channel.values()), List.of(Size.values()), List.of(Flush.values()),
        List.of(Length.values()), List.of(Answer.values()), List.of(When.values()), List.of(Mapping.values()),
        List.of(Who.values()), List.of(Coding.values()), List.of(Method.values()));
  }

  /** A cell from one value of each dimension, in order. */
  static MatrixCell of(List<Enum<?>> values) {
    return new MatrixCell((Channel) values.get(0), (Size) values.get(1), (Flush) values.get(2), (Length) values.get(3),
        (Answer) values.get(4), (When) values.get(5), (Mapping) values.get(6), (Who) values.get(7),
        (Coding) values.get(8), (Method) values.get(9));
  }

  /**
   * Whether the cell is one an application can be in: a failure is an exception that reaches the
   * container, so only on the request's thread or on a dispatch (an application thread that dies
   * ends nothing, and waits for the async timeout).
   */
  static boolean valid(List<Enum<?>> partial) {
    Object answer = partial.size() > 4 ? partial.get(4) : null;
    Object when = partial.size() > 5 ? partial.get(5) : null;
    return !(answer == Answer.THROW && when != null && when != When.SYNC && when != When.DISPATCH);
  }

  /** The path the application reads this cell from; one per cell. */
  String path() {
    List<String> parts = new ArrayList<>();
    for (Enum<?> e : List.of(channel, size, flush, length, answer, when, mapping, who, coding, method)) {
      parts.add(e.name().toLowerCase(Locale.ROOT));
    }
    return "/m/" + String.join("/", parts);
  }

  /** The cell a path names. */
  static MatrixCell parse(String path) {
    String[] p = path.substring("/m/".length()).toUpperCase(Locale.ROOT).split("/");
    return new MatrixCell(Channel.valueOf(p[0]), Size.valueOf(p[1]), Flush.valueOf(p[2]), Length.valueOf(p[3]),
        Answer.valueOf(p[4]), When.valueOf(p[5]), Mapping.valueOf(p[6]), Who.valueOf(p[7]), Coding.valueOf(p[8]),
        Method.valueOf(p[9]));
  }

  /**
   * Whether the response ends on an ASYNC dispatch of the application's that does not pass the
   * filter (mapped for REQUEST only).
   */
  boolean outsideTheFilter() {
    return when == When.DISPATCH && mapping == Mapping.REQUEST;
  }

  /** Whether the application takes back bytes it wrote: a failure halfway, or a reset. */
  boolean takesBack() {
    return answer == Answer.THROW || answer == Answer.RESET || answer == Answer.RESET_BUFFER;
  }

  /** Whether the object is stored: the answers the cache may keep, however they were written. */
  boolean stored() {
    return answer == Answer.CACHEABLE || answer == Answer.NOT_MODIFIED;
  }

  /** Whether the application writes a page of its own (not an error page, a redirect or a failure). */
  boolean writesPage() {
    return answer != Answer.ERROR_PAGE && answer != Answer.REDIRECT && answer != Answer.THROW;
  }

  @Override
  public String toString() {
    return path().substring(3);
  }
}
