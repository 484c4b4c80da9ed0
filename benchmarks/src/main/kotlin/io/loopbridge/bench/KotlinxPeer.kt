package io.loopbridge.bench

import kotlinx.coroutines.reactive.publish
import org.reactivestreams.Publisher

/**
 * The kotlinx-coroutines peer of `asyncgen_publisher_vs_kotlinx_publish` (see PublisherVsKotlinx):
 * a cold publisher whose producer coroutine (on `Dispatchers.Default`, the default of `publish`)
 * sends `0..n-1`; `send` suspends while the subscriber has no demand.
 */
object KotlinxPeer {
    @JvmStatic
    fun numbers(n: Int): Publisher<Int> = publish {
        for (i in 0 until n) {
            send(i)
        }
    }
}
