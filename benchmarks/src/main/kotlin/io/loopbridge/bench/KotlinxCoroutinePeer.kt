package io.loopbridge.bench

import kotlinx.coroutines.async
import kotlinx.coroutines.awaitAll
import kotlinx.coroutines.runBlocking
import kotlinx.coroutines.yield

/**
 * The kotlinx-coroutines side of CoroutineVsKotlinx: each call runs on `runBlocking`'s
 * single-threaded event loop on the calling thread, as our batches run on one loop.
 */
object KotlinxCoroutinePeer {
    /** `n` times `yield()`: the coroutine is re-dispatched through the event loop each time. */
    @JvmStatic
    fun yields(n: Int): Long = runBlocking {
        var count = 0L
        repeat(n) {
            yield()
            count++
        }
        count
    }

    /** `n` coroutines started with `async` that return at once, then `awaitAll()`; how many returned. */
    @JvmStatic
    fun asyncAwaitAll(n: Int): Long = runBlocking {
        List(n) { async { 1 } }.awaitAll().size.toLong()
    }
}
