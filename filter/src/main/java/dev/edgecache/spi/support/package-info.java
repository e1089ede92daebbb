/**
 * Small parts that stores of the storage SPI share, so that each store writes only what is its
 * own: the codec of write tags, and a stored object made of its parts.
 */
package dev.edgecache.spi.support;
