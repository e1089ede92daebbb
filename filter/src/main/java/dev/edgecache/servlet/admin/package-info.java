/**
 * The filter's admin path: purges by URL, tag, prefix and host (form fields, JSON batches, the
 * {@code PURGE} method), the counters as JSON, the status page and its history. Not exported: the
 * filter wires it, handing it what it needs, and it calls nothing of the filter's.
 */
package dev.edgecache.servlet.admin;
