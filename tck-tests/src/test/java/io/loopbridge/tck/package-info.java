/**
 * The Reactive Streams TCK, run on every {@code Publisher}, {@code Subscriber} and {@code
 * Processor} that loopbridge exposes, in both flavours: {@code org.reactivestreams} (the {@code
 * *TckTest} classes) and {@code java.util.concurrent.Flow} through {@code ReactiveFlow} (the
 * {@code *FlowTckTest} classes).
 *
 * <table>
 *   <caption>What is verified</caption>
 *   <tr><th>API</th><th>Reactive Streams</th><th>Flow</th></tr>
 *   <tr><td>{@code Reactive.publisher(loop, body)}</td>
 *       <td>{@link io.loopbridge.tck.ReactivePublisherTckTest}</td>
 *       <td>{@link io.loopbridge.tck.ReactivePublisherFlowTckTest}</td></tr>
 *   <tr><td>{@code Reactive.fromCoroutine(loop, coroutine)}</td>
 *       <td>{@link io.loopbridge.tck.ReactiveFromCoroutineTckTest}</td>
 *       <td>{@link io.loopbridge.tck.ReactiveFromCoroutineFlowTckTest}</td></tr>
 *   <tr><td>{@code Reactive.fromAwaitable(awaitable)}</td>
 *       <td>{@link io.loopbridge.tck.ReactiveFromAwaitableTckTest}</td>
 *       <td>{@link io.loopbridge.tck.ReactiveFromAwaitableFlowTckTest}</td></tr>
 *   <tr><td>{@code Reactive.mapAsync(publisher, loop, concurrency, fn)}</td>
 *       <td>{@link io.loopbridge.tck.ReactiveMapAsyncTckTest}</td>
 *       <td>{@link io.loopbridge.tck.ReactiveMapAsyncFlowTckTest}</td></tr>
 *   <tr><td>{@code ReactorBridge.mono(loop, coroutine)}</td>
 *       <td>{@link io.loopbridge.tck.ReactorBridgeMonoTckTest}</td>
 *       <td>{@link io.loopbridge.tck.ReactorBridgeMonoFlowTckTest}</td></tr>
 *   <tr><td>{@code ReactorBridge.flux(loop, body)}</td>
 *       <td>{@link io.loopbridge.tck.ReactorBridgeFluxTckTest}</td>
 *       <td>{@link io.loopbridge.tck.ReactorBridgeFluxFlowTckTest}</td></tr>
 *   <tr><td>{@code ReactorBridge.toMono(awaitable)}</td>
 *       <td>{@link io.loopbridge.tck.ReactorBridgeToMonoTckTest}</td>
 *       <td>{@link io.loopbridge.tck.ReactorBridgeToMonoFlowTckTest}</td></tr>
 *   <tr><td>{@code ReactorBridge.toFlux(loop, generator)}</td>
 *       <td>{@link io.loopbridge.tck.ReactorBridgeToFluxTckTest}</td>
 *       <td>{@link io.loopbridge.tck.ReactorBridgeToFluxFlowTckTest}</td></tr>
 *   <tr><td>{@code flux.transform(ReactorBridge.mapAsync(loop, concurrency, fn))}</td>
 *       <td>{@link io.loopbridge.tck.ReactorBridgeMapAsyncTckTest}</td>
 *       <td>{@link io.loopbridge.tck.ReactorBridgeMapAsyncFlowTckTest}</td></tr>
 *   <tr><td>{@code RxBridge.flowable(loop, body)}</td>
 *       <td>{@link io.loopbridge.tck.RxBridgeFlowableTckTest}</td>
 *       <td>{@link io.loopbridge.tck.RxBridgeFlowableFlowTckTest}</td></tr>
 *   <tr><td>{@code RxBridge.single(loop, coroutine).toFlowable()}</td>
 *       <td>{@link io.loopbridge.tck.RxBridgeSingleTckTest}</td>
 *       <td>{@link io.loopbridge.tck.RxBridgeSingleFlowTckTest}</td></tr>
 *   <tr><td>{@code RxBridge.maybe(loop, coroutine).toFlowable()}</td>
 *       <td>{@link io.loopbridge.tck.RxBridgeMaybeTckTest}</td>
 *       <td>{@link io.loopbridge.tck.RxBridgeMaybeFlowTckTest}</td></tr>
 *   <tr><td>{@code RxBridge.toSingle(awaitable).toFlowable()}</td>
 *       <td>{@link io.loopbridge.tck.RxBridgeToSingleTckTest}</td>
 *       <td>{@link io.loopbridge.tck.RxBridgeToSingleFlowTckTest}</td></tr>
 *   <tr><td>{@code Flowable.range(...).compose(RxBridge.mapAsync(loop, concurrency, fn))}</td>
 *       <td>{@link io.loopbridge.tck.RxBridgeMapAsyncTckTest}</td>
 *       <td>{@link io.loopbridge.tck.RxBridgeMapAsyncFlowTckTest}</td></tr>
 *   <tr><td>{@code LoopSubscriber} (whitebox)</td>
 *       <td>{@link io.loopbridge.tck.LoopSubscriberWhiteboxTckTest}</td>
 *       <td>{@link io.loopbridge.tck.LoopSubscriberWhiteboxFlowTckTest}</td></tr>
 *   <tr><td>{@code LoopSubscriber} (blackbox)</td>
 *       <td>{@link io.loopbridge.tck.LoopSubscriberBlackboxTckTest}</td>
 *       <td>{@link io.loopbridge.tck.LoopSubscriberBlackboxFlowTckTest}</td></tr>
 * </table>
 *
 * <p>To cover a new publisher, subscriber or processor (the Reactor and RxJava bridges, once they
 * expose their own), add a {@code <Api>TckTest} and a {@code <Api>FlowTckTest} here that extend
 * the TCK verification, run everything on {@code Tck.loop()}, and implement {@link
 * io.loopbridge.tck.TckAudited}: the number of TCK tests that must pass and each skip with its
 * reason. The audit fails the build on any other outcome, on a task left on the loop, and on
 * anything reported to the loop's exception handler.
 */
package io.loopbridge.tck;
