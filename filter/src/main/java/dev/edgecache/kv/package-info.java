/**
 * A key-value face for application data on the edge cache, after the WASI keyvalue cache and
 * cascache: typed values, get-or-set with one loader per key, compare-and-swap by generation.
 */
package dev.edgecache.kv;
