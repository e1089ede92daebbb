package dev.edgecache.store.ehcache;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * An {@code ehcache.xml} for the store with a disk tier: objects and chunks on a few heap entries,
 * 8 MB off-heap and the disk tier given; the other caches on heap. For the tests and load runs
 * that push objects much larger than the heap through a store configured by XML. Names classes
 * as text, so that it serves JVMs that only write the file for another to read.
 */
public final class DiskTierXml {
  private DiskTierXml() {}

  /** Writes the file and returns it. */
  public static Path write(Path file, Path diskDirectory, long diskMb) throws IOException {
    String records = "<key-type>java.lang.String</key-type>"
        + "<value-type serializer=\"dev.edgecache.store.ehcache.BlobSerializer\">dev.edgecache.store.ehcache.Blob</value-type>";
    String expiring = records + "<expiry><class>dev.edgecache.store.ehcache.RecordExpiry</class></expiry>";
    String onDisk = "<resources><heap unit=\"entries\">%d</heap><offheap unit=\"MB\">8</offheap>"
        + "<disk unit=\"MB\">" + diskMb + "</disk></resources>";
    String onHeap = "<resources><heap unit=\"entries\">100</heap></resources>";
    String text = "<config xmlns=\"http://www.ehcache.org/v3\"><persistence directory=\""
        + diskDirectory.toAbsolutePath() + "\"/>"
        + "<cache alias=\"edge-objects\">" + expiring + onDisk.formatted(100) + "</cache>"
        + "<cache alias=\"edge-chunks\">" + expiring + onDisk.formatted(4) + "</cache>"
        + "<cache alias=\"edge-volatile-objects\">" + expiring + onHeap + "</cache>"
        + "<cache alias=\"edge-volatile-chunks\">" + expiring + onHeap + "</cache>"
        + "<cache alias=\"edge-locks\">" + expiring + onHeap + "</cache>"
        + "<cache alias=\"edge-counters\">" + records + onHeap + "</cache>"
        + "<cache alias=\"edge-index\">" + records + onHeap + "</cache></config>";
    return Files.writeString(file, text);
  }
}
