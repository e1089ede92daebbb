package dev.edgecache;

/** User metadata is longer than the maximum length the caller is prepared to read. */
public class BufferTooSmallException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;
  private final int requiredLength;

  public BufferTooSmallException(int requiredLength, int maxLength) {
    super("user metadata is " + requiredLength + " bytes, more than the maximum of " + maxLength);
    this.requiredLength = requiredLength;
  }

  /** The length that would have been enough. */
  public int requiredLength() {
    return requiredLength;
  }
}
