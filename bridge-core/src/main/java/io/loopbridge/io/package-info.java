/**
 * Network I/O on the event loop (asyncio's streams, transports and protocols).
 *
 * <p>Two levels, as in asyncio. <b>Streams</b>: {@link io.loopbridge.io.Streams#openConnection}
 * and {@link io.loopbridge.io.Streams#startServer} give a {@link io.loopbridge.io.StreamReader}
 * ({@code readline}, {@code readuntil}, {@code readexactly}, {@code read}) and a {@link
 * io.loopbridge.io.StreamWriter} ({@code write}, {@code drain}, {@code close}) to straight-line
 * coroutine code. <b>Transports and protocols</b>: {@code loop.createServer} and {@code
 * loop.createConnection} pair a {@link io.loopbridge.io.Transport} with a {@link
 * io.loopbridge.io.Protocol} whose callbacks the loop calls; streams are built on them. Also: UDP
 * ({@code loop.createDatagramEndpoint}, {@link io.loopbridge.io.DatagramProtocol}), TLS (the
 * {@link javax.net.ssl.SSLContext} overloads, on an {@link javax.net.ssl.SSLEngine}) and child
 * processes with stream pipes ({@link io.loopbridge.io.Subprocess}).
 *
 * <p>Everything runs on the loop's thread, on non-blocking NIO channels registered with the loop's
 * selector: no thread per connection. (Process pipes are the exception the JDK imposes: they are
 * blocking streams, pumped by one thread each; see {@link io.loopbridge.io.Subprocess}.) Methods that suspend must be called inside a coroutine;
 * methods that do I/O declare {@link java.io.IOException} and throw the JDK's own subclasses
 * ({@link java.net.ConnectException}, {@link java.net.SocketException} for a reset, ...).
 * Addresses are always the caller's: nothing binds or connects anywhere by itself.
 */
package io.loopbridge.io;
