/**
 * Synchronization primitives for coroutines of one event loop (asyncio's {@code locks.py} and
 * {@code queues.py}): {@link io.loopbridge.sync.AsyncLock}, {@link io.loopbridge.sync.AsyncEvent},
 * {@link io.loopbridge.sync.AsyncCondition}, {@link io.loopbridge.sync.AsyncSemaphore}, {@link
 * io.loopbridge.sync.AsyncBoundedSemaphore}, {@link io.loopbridge.sync.AsyncBarrier} and {@link
 * io.loopbridge.sync.AsyncQueue} with its priority and LIFO variants.
 *
 * <p>They are not thread-safe, and need not be: every coroutine of a loop runs on that loop, one
 * step at a time. Methods that suspend ({@code acquire}, {@code await}, {@code put}, {@code get},
 * {@code join}) must be called inside a coroutine and throw {@link IllegalStateException}
 * elsewhere; the others must be called on the loop (a coroutine or a callback). A primitive belongs
 * to the loop that first uses it (asyncio binds it at the first wait): waiting on it in a coroutine
 * of another loop throws {@link IllegalStateException}, as does calling it from another thread
 * while its loop runs.
 *
 * <p>Cancellation never loses anything: a waiter that is cancelled leaves the wait queue, and a
 * waiter that is cancelled after it was handed the lock, a permit or a wake-up, but before it could
 * run, passes it on to the next waiter (or gives it back).
 *
 * <p>Names that asyncio gives differently, because {@code Object.wait()} and {@code
 * Object.notify()} are final in Java, follow {@code java.util.concurrent} instead: {@code wait()}
 * is {@code await()} (as in {@code CountDownLatch}, {@code Condition}, {@code CyclicBarrier}),
 * {@code notify(n)}/{@code notify_all()} are {@code signal(n)}/{@code signalAll()}, {@code async
 * with lock} is {@code try (Permit held = lock.acquire())}.
 */
package io.loopbridge.sync;
