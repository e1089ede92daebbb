/**
 * The servlet glue. Talks to the core cache API and the HTTP policy only.
 *
 * <p>What a newcomer finds where:
 *
 * <ul>
 *   <li>{@link dev.edgecache.servlet.EdgeCacheFilter} routes each request and owns the life
 *       cycle; {@code FilterRuntime} is what requests share (cache, settings, counters, threads,
 *       the admin path in {@code servlet.admin}); {@code RequestKeys} makes keys and vary fields.
 *   <li>{@code Exchange} is one GET or HEAD: a lookup ({@code SuspendedLookup} while another
 *       request fills the key, holding no thread), then a switch on its {@code Route}.
 *   <li>{@code OriginFetch} asks the origin for a key the request owns, by a pure {@code
 *       http.FetchPlan}; {@code StoreAtCommit} decides at the first byte whether it is stored;
 *       {@code OwnClientFollower} serves the fill's own client from the object;
 *       {@code PassThrough} and {@code UnsafeMethods} are the requests that pass.
 *   <li>{@code TeeResponse} is the response the origin writes: one {@code TeeState} field with
 *       its moves in one table; {@code TeeStream} routes the body, {@code EncodingWriter} its
 *       writer's characters, {@code EdgeFieldsResponse} its head.
 *   <li>{@code CachedResponses}, {@code NonBlockingBodyWriter} write stored objects; {@code
 *       DispatchOutput} says whether a container's non-blocking output takes writes at once.
 *   <li>{@code KeyedQueryRequest} is the request as the application is shown it when the key
 *       leaves query parameters out and hides them ({@code http.KeyParams}); {@code
 *       LanguageVariants} keys the variants of {@code Accept-Language}, and {@code
 *       ChosenLanguageRequest} shows the application the language its key picked. {@code
 *       RequestKeys} wires both.
 *   <li>{@code QueryContent} reads a {@code QUERY}'s content into its key; {@code
 *       PartialResponses} keeps and serves partial content; {@code Admission} counts requests
 *       in a {@code FrequencySketch} for {@code min-uses}; {@code EarlyHints} sends a stored
 *       page's preload links ({@code http.PreloadLinks}) while the origin works; {@code
 *       Tracing} keeps a {@code RequestSpan} on each request, OpenTelemetry's when its API is there
 *       ({@code OpenTelemetryTracing}, the only class that names it); {@code EdgeCodings} says
 *       which codings the cache makes ({@code EncodingSink}, with {@code BrotliEncoder} and
 *       {@code ZstdEncoder} where Brotli4j and zstd-jni are there).
 * </ul>
 */
package dev.edgecache.servlet;
