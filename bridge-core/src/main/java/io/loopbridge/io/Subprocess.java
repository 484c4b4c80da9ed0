package io.loopbridge.io;

import io.loopbridge.Async;
import io.loopbridge.io.internal.Endpoints;
import io.loopbridge.loop.EventLoop;
import io.loopbridge.task.Task;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.OptionalInt;

/**
 * A child process whose pipes are streams of the loop (asyncio's {@code create_subprocess_exec}
 * and {@code Process}): write to {@link #stdin()}, read {@link #stdout()} and {@link #stderr()},
 * {@link #waitFor()} the exit.
 *
 * <p><b>Threads</b>: the JDK offers process pipes only as blocking streams, which a selector cannot
 * watch. So each piped stream has one daemon thread ({@code loopbridge-subprocess-<pid>-stdin},
 * {@code -stdout}, {@code -stderr}) that does the blocking reads or writes and hands data to and from
 * the loop with {@link EventLoop#callSoonThreadsafe}; the coroutine side is non-blocking as
 * everywhere else. The stdout and stderr threads end at the end of their stream (when the child
 * exits, at the latest), the stdin thread when {@code stdin} is closed or the child exits. Flow
 * control holds: a reader over twice its limit stops its thread reading, and {@code
 * stdin().drain()} waits for the thread to catch up.
 *
 * <p>As with asyncio, a child that fills a pipe nobody reads blocks: read what you piped, or use
 * {@link #communicate}. Exit codes are the JDK's ({@code 128 + signal} for a child killed by a
 * signal; asyncio gives {@code -signal}).
 */
public final class Subprocess {
    private final EventLoop loop;
    private final Process process;
    private final StreamWriter stdin;
    private final StreamReader stdout;
    private final StreamReader stderr;
    /** Set before the child is destroyed: the JDK then closes its streams under the pipe threads. */
    private volatile boolean destroying;

    /**
     * The outcome of {@link #communicate}: everything the child wrote, and its exit code.
     *
     * @param stdout everything the child wrote to its standard output; empty if it was not piped
     * @param stderr everything the child wrote to its standard error; empty if it was not piped
     * @param exitCode the child's exit code
     */
    public record Output(byte[] stdout, byte[] stderr, int exitCode) {}

    private Subprocess(EventLoop loop, ProcessBuilder builder, int limit) throws IOException {
        this.loop = loop;
        this.process = builder.start();
        String name = "loopbridge-subprocess-" + process.pid() + "-";
        if (builder.redirectInput() == ProcessBuilder.Redirect.PIPE) {
            StreamReaderProtocol protocol = new StreamReaderProtocol(loop, new StreamReader(), null);
            PipeWriteTransport pipe = new PipeWriteTransport(loop, process.getOutputStream(), protocol, name + "stdin");
            stdin = new StreamWriter(pipe, protocol, null);
            process.onExit().thenRun(pipe::childExited); // a dead child reads no more: end the thread
        } else {
            stdin = null;
        }
        stdout = builder.redirectOutput() == ProcessBuilder.Redirect.PIPE
                ? reader(process.getInputStream(), limit, name + "stdout")
                : null;
        stderr = builder.redirectErrorStream() || builder.redirectError() != ProcessBuilder.Redirect.PIPE
                ? null
                : reader(process.getErrorStream(), limit, name + "stderr");
    }

    private StreamReader reader(InputStream in, int limit, String threadName) {
        StreamReader r = new StreamReader(limit);
        new PipeReadTransport(loop, in, r, () -> destroying || !process.isAlive(), threadName);
        return r;
    }

    /**
     * Starts {@code command} with its three streams piped (asyncio's {@code
     * create_subprocess_exec(*command, stdin=PIPE, stdout=PIPE, stderr=PIPE)}). Call it on a loop.
     *
     * @param command the program and its arguments
     * @return the started process, its three streams piped
     * @throws IOException if the process cannot be started (no such program, say)
     */
    public static Subprocess exec(String... command) throws IOException {
        return exec(new ProcessBuilder(command));
    }

    /**
     * {@link #exec(String...)} with {@code command} as a list.
     *
     * @param command the program and its arguments
     * @return the started process, its three streams piped
     * @throws IOException if the process cannot be started
     */
    public static Subprocess exec(List<String> command) throws IOException {
        return exec(new ProcessBuilder(command));
    }

    /**
     * Starts the process {@code builder} describes; the streams it redirects to {@link
     * ProcessBuilder.Redirect#PIPE} (the default) become {@link #stdin()}, {@link #stdout()} and
     * {@link #stderr()}, the others are {@code null}.
     *
     * @param builder the command, directory, environment and redirections; must not be null
     * @return the started process
     * @throws IOException if the process cannot be started
     */
    public static Subprocess exec(ProcessBuilder builder) throws IOException {
        return exec(builder, StreamReader.DEFAULT_LIMIT);
    }

    /**
     * {@link #exec(ProcessBuilder)} with readers of the given {@link StreamReader#limit()}.
     *
     * @param builder the command, directory, environment and redirections; must not be null
     * @param limit the limit of the stdout and stderr readers, in bytes; at least 1
     * @return the started process
     * @throws IOException if the process cannot be started
     */
    public static Subprocess exec(ProcessBuilder builder, int limit) throws IOException {
        Objects.requireNonNull(builder, "builder");
        StreamReader.checkLimit(limit);
        return new Subprocess(Async.loop(), builder, limit);
    }

    /**
     * The child's standard input, or {@code null} if it is not piped; closing it ends the child's input.
     *
     * @return the writer to the child's input, or null
     */
    public StreamWriter stdin() {
        return stdin;
    }

    /**
     * The child's standard output, or {@code null} if it is not piped.
     *
     * @return the reader of the child's output, or null
     */
    public StreamReader stdout() {
        return stdout;
    }

    /**
     * The child's standard error, or {@code null} if it is not piped (or merged into stdout).
     *
     * @return the reader of the child's error output, or null
     */
    public StreamReader stderr() {
        return stderr;
    }

    /**
     * The JDK's process.
     *
     * @return the underlying {@link Process}
     */
    public Process process() {
        return process;
    }

    /**
     * The process id.
     *
     * @return the child's native process id
     */
    public long pid() {
        return process.pid();
    }

    /**
     * The exit code once the child has exited (asyncio's {@code returncode}).
     *
     * @return the exit code, or empty while the child runs
     */
    public OptionalInt exitCode() {
        return process.isAlive() ? OptionalInt.empty() : OptionalInt.of(process.exitValue());
    }

    /**
     * Suspends until the child exits and returns its exit code (asyncio's {@code wait()}).
     *
     * @return the child's exit code
     */
    public int waitFor() {
        return Async.await(process.onExit()).exitValue();
    }

    /** Asks the child to end (SIGTERM on POSIX; asyncio's {@code terminate()}). */
    public void terminate() {
        destroying = true;
        process.destroy();
    }

    /** Ends the child at once (SIGKILL on POSIX; asyncio's {@code kill()}). */
    public void kill() {
        destroying = true;
        process.destroyForcibly();
    }

    /**
     * Writes {@code input} (if not null) to stdin and closes it, reads stdout and stderr to their end
     * at the same time, and waits for the exit (asyncio's {@code communicate()}); streams that are not
     * piped give empty arrays.
     *
     * @param input the bytes to send to the child's input, or null to send nothing (a piped stdin is
     *     closed either way; without one, {@code input} is ignored)
     * @return what the child wrote and its exit code
     * @throws IOException if a pipe fails (a child that exits without reading all its input does not
     *     count: as in asyncio, the broken pipe is ignored)
     */
    public Output communicate(byte[] input) throws IOException {
        Task<byte[]> out = readAll(stdout);
        Task<byte[]> err = readAll(stderr);
        if (stdin != null) {
            try {
                if (input != null) {
                    stdin.write(input);
                    stdin.drain();
                }
            } catch (IOException brokenPipe) {
                // the child exited or closed its input: what it wrote still counts
            }
            stdin.close();
        }
        byte[] o = awaitIo(out);
        byte[] e = awaitIo(err);
        return new Output(o, e, waitFor());
    }

    private static Task<byte[]> readAll(StreamReader reader) {
        return Async.createTask(() -> reader == null ? new byte[0] : reader.read(-1));
    }

    private static byte[] awaitIo(Task<byte[]> task) throws IOException {
        return Endpoints.awaitIo(task);
    }

    @Override
    public String toString() {
        return "Subprocess[pid=" + process.pid() + (process.isAlive() ? " running" : " exited " + process.exitValue())
                + " " + Arrays.toString(process.info().arguments().orElse(new String[0])) + "]";
    }
}
