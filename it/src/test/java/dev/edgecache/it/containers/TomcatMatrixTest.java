package dev.edgecache.it.containers;

import java.util.List;

/** The call-order matrix on Tomcat. */
class TomcatMatrixTest extends CallOrderMatrix {
  @Override
  EmbeddedContainer.Kind kind() {
    return TomcatContainer::new;
  }

  /**
   * Tomcat's own race (10.1.59 and 11.0.27): when a request is in an ASYNC dispatch and its
   * application starts async again and calls {@code sendError} from another thread before that
   * dispatch has returned, Tomcat takes the error for one of the dispatch ({@code
   * CoyoteAdapter.asyncDispatch} checks {@code response.isError()} as the dispatch returns): the
   * request ends in a 500 or a closed connection, and Tomcat logs that {@code asyncPostProcess()}
   * or {@code asyncComplete()} "is not valid". Tomcat does it without the filter: load run 15 has
   * an application dispatch itself and answer so, and 42 of 3,000 requests failed. The filter
   * brings a waiter that must go to the application back through an ASYNC dispatch (the only way
   * to run the chain for a request it suspended), so a collapsed cell whose application answers
   * {@code sendError} from an async thread meets this race now and then. Only that cell, only
   * with Tomcat's own report of it, and only a 500 or a broken connection, is the container's.
   */
  @Override
  boolean containerDefect(MatrixCell cell, List<String> problems, List<String> reports) {
    boolean cellOfTheRace = cell.answer() == MatrixCell.Answer.ERROR_PAGE && cell.who() == MatrixCell.Who.COLLAPSED
        && (cell.when() == MatrixCell.When.ASYNC_START || cell.when() == MatrixCell.When.ASYNC_PLAIN
            || cell.when() == MatrixCell.When.ASYNC_THREAD);
    return cellOfTheRace && !reports.isEmpty()
        && reports.stream().allMatch(r -> r.contains("asyncPostProcess()] is not valid")
            || r.contains("asyncComplete()] is not valid"))
        && problems.stream().allMatch(p -> p.contains(": broken off: ") || p.contains(": status 500 "));
  }
}
