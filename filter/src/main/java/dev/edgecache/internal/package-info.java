/**
 * The implementation of the core API: flights (per-key collapsing), transactions, fills,
 * entries and the key-value face. Not API: types here may change in any release.
 */
package dev.edgecache.internal;
