/**
 * HTTP caching policy as small, pure classes, one per RFC 9111 question: Cache-Control parsing,
 * dates, freshness lifetime and age, storability, vary, validators, ranges, {@code Cache-Status}.
 * Inputs are header values and times; outputs are values. No servlet types, no storage, no I/O:
 * the servlet filter asks these classes and acts on the answers.
 */
package dev.edgecache.http;
