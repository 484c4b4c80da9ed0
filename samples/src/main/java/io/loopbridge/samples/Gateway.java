package io.loopbridge.samples;

import io.loopbridge.Async;
import io.loopbridge.io.Server;
import io.loopbridge.io.StreamPair;
import io.loopbridge.io.Streams;
import io.loopbridge.sync.AsyncSemaphore;
import io.loopbridge.sync.Permit;
import io.loopbridge.task.AsyncTimeoutException;
import io.loopbridge.task.Task;
import io.loopbridge.task.TaskGroupException;
import io.loopbridge.task.Timeout;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/**
 * The REST gateway the asyncio texts open with: for each request it asks two backend services at
 * once and answers with what they said, while one thread serves every client and every backend
 * call. HTTP/1.1 on the streams API ({@link Http}), with keep-alive for the gateway's clients:
 *
 * <ul>
 *   <li>{@code GET /user/{id}} asks both backends in a {@code TaskGroup} under a deadline ({@link
 *       Async#timeout}): 200 {@code {"id":1,"name":"Ada Lovelace","orders":7}}; 404 if the profile
 *       service knows no such user; 502 if a backend failed or answered nonsense (the other call is
 *       cancelled at once); 504 if a backend did not answer in time (both are cancelled);
 *   <li>400 for a malformed request or id, 404 for another path, 405 for a method but GET and HEAD.
 * </ul>
 *
 * <p>The backends are HTTP services the sample starts itself on 127.0.0.1 and free ports, on the
 * streams API too: {@code profiles} ({@code GET /profiles/{id}}, users 1 to 100) and {@code orders}
 * ({@code GET /orders/{id}}), which is slow and flaky on purpose: for user 7 it answers far too late,
 * for 13 it fails (500), for 21 it hangs up without answering; with {@code --flaky F} (0.1 by
 * default with {@code --port}, 0 in the tour) a fraction F of the other requests misbehave the same
 * ways at random. The gateway opens a connection per backend call and has at most {@link
 * #CALLS_PER_BACKEND} calls in flight per backend ({@link AsyncSemaphore}), so a burst of clients
 * waits at the gateway instead of flooding a backend.
 *
 * <p>{@code gateway --port 8080 [--timeout 1s] [--flaky 0.1]} serves until Ctrl-C ({@code curl -i
 * http://127.0.0.1:8080/user/1}). Without {@code --port} (the tour) it starts on a free port, asks
 * itself a few questions with {@link HttpClient} and stops.
 */
@SuppressWarnings(
        "try") // try (Timeout ...) scopes a deadline, try (Permit ...) a semaphore; neither is used in the block
public final class Gateway implements Sample {
    static final String HOST = "127.0.0.1";
    static final Duration TIMEOUT = Duration.ofSeconds(1);
    /** How long a client's kept-alive connection may stay quiet between requests. */
    static final Duration KEEP_ALIVE = Duration.ofSeconds(5);

    static final int CALLS_PER_BACKEND = 64;
    static final int USERS = 100;
    static final List<String> NAMES = List.of(
            "Ada Lovelace",
            "Grace Hopper",
            "Alan Turing",
            "Katherine Johnson",
            "Edsger Dijkstra",
            "Barbara Liskov",
            "Donald Knuth",
            "Margaret Hamilton",
            "Ken Thompson",
            "Frances Allen");
    /** The users for whom the orders service misbehaves, every time. */
    static final int SLOW_USER = 7;

    static final int FAILING_USER = 13;
    static final int HANGING_UP_USER = 21;

    @Override
    public String name() {
        return "gateway";
    }

    @Override
    public String description() {
        return "a REST gateway: each request asks two backends at once, with a deadline; failures are 502, timeouts 504";
    }

    @Override
    public void run(String[] args, PrintStream out) {
        Options options = Options.parse(args, Set.of("--port", "--timeout", "--flaky"));
        if (!options.words().isEmpty()) {
            throw new IllegalArgumentException("usage: gateway [--port P] [--timeout 1s] [--flaky 0.1]");
        }
        Duration timeout = options.duration("--timeout", TIMEOUT);
        if (options.has("--port")) {
            double flaky = options.fraction("--flaky", 0.1);
            Serving.untilInterrupted(
                    () -> start(options.port("--port", 0), timeout, flaky, out),
                    gateway -> out.println("gateway on http://" + HOST + ":" + gateway.port() + " ("
                            + timeout.toMillis() + " ms for the backends, "
                            + Math.round(flaky * 100) + "% of orders flaky); try `curl -i http://" + HOST + ":"
                            + gateway.port() + "/user/1`; Ctrl-C stops it"));
            out.println("gateway stopped");
            return;
        }
        double flaky = options.fraction("--flaky", 0);
        HttpClient client =
                HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        Async.run(() -> {
            Running gateway = start(0, timeout, flaky, null);
            try {
                out.println("-- a gateway on " + HOST + ", a free port; backends profiles and orders (slow and flaky on"
                        + " purpose) on free ports; " + timeout.toMillis() + " ms for both");
                String base = "http://" + HOST + ":" + gateway.port();
                List<String> asks = List.of(
                        "GET /user/1",
                        "GET /user/2",
                        "GET /user/404",
                        "GET /user/13",
                        "GET /user/21",
                        "GET /user/7",
                        "GET /user/x",
                        "GET /users",
                        "DELETE /user/1");
                for (String ask : asks) {
                    String[] methodAndPath = ask.split(" ");
                    HttpRequest request = HttpRequest.newBuilder(URI.create(base + methodAndPath[1]))
                            .method(methodAndPath[0], HttpRequest.BodyPublishers.noBody())
                            .build();
                    // the client's own threads do the I/O; the coroutine awaits the CompletableFuture
                    HttpResponse<String> response =
                            Async.await(client.sendAsync(request, HttpResponse.BodyHandlers.ofString()));
                    out.println(ask + " -> " + response.statusCode() + " " + response.body());
                }
                out.println("-- " + asks.size() + " requests over " + gateway.connections()
                        + (gateway.connections() == 1 ? " connection" : " connections") + ": HTTP/1.1 keep-alive");

                StreamPair raw = Streams.openConnection(HOST, gateway.port());
                try {
                    raw.writer().write("hello\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                    Http.Response response = Http.readResponse(raw.reader(), false);
                    out.println("raw \"hello\" -> " + response.status() + " "
                            + new String(response.body(), StandardCharsets.UTF_8) + ", connection "
                            + ("close".equals(response.field("connection")) ? "closed" : "kept"));
                } finally {
                    raw.close();
                    raw.writer().waitClosed();
                }
            } finally {
                gateway.stop();
            }
            out.println("-- gateway and backends closed");
            return null;
        });
    }

    /**
     * Starts both backends and the gateway on the running loop; {@code accessLog} ({@code null}:
     * none) gets a line per request.
     */
    static Running start(int port, Duration timeout, double flaky, PrintStream accessLog) throws IOException {
        Backends backends = new Backends(flaky, timeout.multipliedBy(10));
        Server profiles = Streams.startServer(
                (reader, writer) -> Http.serve(reader, writer, KEEP_ALIVE, backends::profiles), HOST, 0, Http.MAX_LINE);
        Server orders = Streams.startServer(
                (reader, writer) -> Http.serve(reader, writer, KEEP_ALIVE, backends::orders), HOST, 0, Http.MAX_LINE);
        Running running = new Running(
                timeout,
                accessLog,
                List.of(profiles, orders),
                new Backend("profiles", profiles.sockets().get(0).getPort()),
                new Backend("orders", orders.sockets().get(0).getPort()));
        try {
            running.listen(port);
        } catch (IOException e) {
            running.stop(); // the port is taken, say: do not leave the backends listening
            throw e;
        }
        return running;
    }

    /** The gateway and its backends, running on a loop. */
    static final class Running implements Serving.Service {
        private final Duration timeout;
        private final PrintStream accessLog;
        private final List<Server> servers;
        private final Backend profiles;
        private final Backend orders;
        private int port;
        private int connections; // only ever touched on the loop's thread

        Running(Duration timeout, PrintStream accessLog, List<Server> backends, Backend profiles, Backend orders) {
            this.timeout = timeout;
            this.accessLog = accessLog;
            this.servers = new ArrayList<>(backends);
            this.profiles = profiles;
            this.orders = orders;
        }

        private void listen(int port) throws IOException {
            Server gateway = Streams.startServer(
                    (reader, writer) -> {
                        connections++;
                        Http.serve(reader, writer, KEEP_ALIVE, this::handle);
                    },
                    HOST,
                    port,
                    Http.MAX_LINE);
            servers.add(0, gateway);
            this.port = gateway.sockets().get(0).getPort();
        }

        @Override
        public int port() {
            return port;
        }

        /** The connections the gateway accepted so far. */
        int connections() {
            return connections;
        }

        @Override
        public void stop() {
            for (Server s : servers) {
                s.close();
                s.closeClients();
            }
            for (Server s : servers) {
                s.waitClosed();
            }
        }

        Http.Reply handle(Http.Request request) {
            long start = System.nanoTime();
            Http.Reply reply = route(request);
            if (accessLog != null) {
                accessLog.println(request.method() + " " + request.target() + " -> " + reply.status() + " ("
                        + Duration.ofNanos(System.nanoTime() - start).toMillis() + " ms)");
            }
            return reply;
        }

        private Http.Reply route(Http.Request request) {
            String path = request.path();
            if (!path.startsWith("/user/")) {
                return Http.problem(404, "nothing at " + shorten(path) + "; try /user/1");
            }
            if (!request.method().equals("GET") && !request.method().equals("HEAD")) {
                Http.Reply problem = Http.problem(405, request.method() + " is not allowed on /user/{id}");
                return new Http.Reply(405, problem.contentType(), problem.body(), Map.of("Allow", "GET, HEAD"));
            }
            String id = path.substring("/user/".length());
            if (!id.matches("[1-9][0-9]{0,8}")) {
                return Http.problem(400, "not a user id: '" + shorten(id) + "'");
            }
            return user(Integer.parseInt(id));
        }

        /** Both backends at once, within the timeout; the first failure cancels the other call. */
        private Http.Reply user(int id) {
            List<Task<?>> calls = new ArrayList<>(2);
            try (Timeout deadline = Async.timeout(timeout)) {
                JsonNode user = Async.taskGroup(group -> {
                    Task<String> name =
                            group.createTask(() -> profiles.get("/profiles/" + id, Gateway::nameOf), "profiles");
                    Task<Integer> count =
                            group.createTask(() -> orders.get("/orders/" + id, Gateway::ordersOf), "orders");
                    calls.add(name);
                    calls.add(count);
                    return Http.JSON
                            .createObjectNode()
                            .put("id", id)
                            .put("name", Async.await(name))
                            .put("orders", Async.await(count));
                });
                return new Http.Reply(200, "application/json", Http.JSON.writeValueAsBytes(user));
            } catch (AsyncTimeoutException e) {
                String late = calls.stream()
                        .filter(Task::isCancelled)
                        .map(Task::getName)
                        .collect(Collectors.joining(" and "));
                return Http.problem(504, late + " did not answer within " + timeout.toMillis() + " ms");
            } catch (TaskGroupException e) {
                Throwable first = e.getExceptions().get(0);
                if (!(first instanceof BackendException)) {
                    throw e; // a bug, not a backend's failure: a 500 and the loop's exception handler
                }
                BackendException failed = (BackendException) first;
                if (failed.backend().equals("profiles") && failed.status() == 404) {
                    return Http.problem(404, "no user " + id);
                }
                return Http.problem(502, failed.getMessage());
            }
        }
    }

    private static String nameOf(JsonNode profile) {
        JsonNode name = profile.get("name");
        return name != null && name.isString() ? name.asString() : null;
    }

    private static Integer ordersOf(JsonNode orders) {
        JsonNode count = orders.get("orders");
        return count != null && count.isInt() ? count.intValue() : null;
    }

    private static String shorten(String s) {
        return s.length() <= 40 ? s : s.substring(0, 40) + "...";
    }

    /** A backend answered an error, nonsense, or nothing; {@link #status()} is its status, or 0. */
    static final class BackendException extends IOException {
        private static final long serialVersionUID = 1L;

        private final String backend;
        private final int status;

        BackendException(String backend, int status, String message) {
            super(message);
            this.backend = backend;
            this.status = status;
        }

        String backend() {
            return backend;
        }

        int status() {
            return status;
        }
    }

    /** The gateway's client of one backend: a connection per call, {@link #CALLS_PER_BACKEND} at most at once. */
    static final class Backend {
        private final String name;
        private final int port;
        private final AsyncSemaphore calls = new AsyncSemaphore(CALLS_PER_BACKEND);

        Backend(String name, int port) {
            this.name = name;
            this.port = port;
        }

        /**
         * {@code GET target}: the JSON answer, read by {@code field} ({@code null}: the field the
         * gateway needs is not there). Cancelling the calling task closes the connection.
         */
        <T> T get(String target, Function<JsonNode, T> field) throws BackendException {
            try (Permit permit = calls.acquire()) {
                StreamPair connection;
                try {
                    connection = Streams.openConnection(HOST, port);
                } catch (IOException e) {
                    throw new BackendException(name, 0, name + " is unreachable: " + e.getMessage());
                }
                try {
                    Http.writeRequest(connection.writer(), "GET", target, HOST + ":" + port);
                    Http.Response response = Http.readResponse(connection.reader(), false);
                    if (response.status() != 200) {
                        throw new BackendException(
                                name,
                                response.status(),
                                name + " answered " + response.status() + " " + response.reason());
                    }
                    T value = field.apply(Http.JSON.readTree(response.body()));
                    if (value == null) {
                        throw new BackendException(name, 200, name + " answered without the field the gateway needs");
                    }
                    return value;
                } catch (BackendException e) {
                    throw e;
                } catch (IOException e) {
                    throw new BackendException(name, 0, name + ": " + e.getMessage());
                } catch (JacksonException e) {
                    throw new BackendException(name, 200, name + " answered malformed JSON");
                } finally {
                    connection.close();
                }
            }
        }
    }

    /** The two backend services. */
    static final class Backends {
        private final double flaky;
        private final Duration tooLate;
        private final Random random = new Random();

        Backends(double flaky, Duration tooLate) {
            this.flaky = flaky;
            this.tooLate = tooLate;
        }

        /** {@code GET /profiles/{id}}: {@code {"id":1,"name":"Ada Lovelace"}} for users 1 to 100, after 10 ms. */
        Http.Reply profiles(Http.Request request) {
            int id = idOf(request, "/profiles/");
            if (id < 0) {
                return Http.problem(404, "nothing at " + shorten(request.path()));
            }
            Async.sleep(Duration.ofMillis(10));
            if (id > USERS) {
                return Http.problem(404, "no profile " + id);
            }
            return json(Http.JSON.createObjectNode().put("id", id).put("name", NAMES.get((id - 1) % NAMES.size())));
        }

        /**
         * {@code GET /orders/{id}}: {@code {"id":1,"orders":7}} after 20 ms; for {@link #SLOW_USER}
         * far too late, for {@link #FAILING_USER} a 500, for {@link #HANGING_UP_USER} no answer at all.
         */
        Http.Reply orders(Http.Request request) {
            int id = idOf(request, "/orders/");
            if (id < 0) {
                return Http.problem(404, "nothing at " + shorten(request.path()));
            }
            int mood = id == SLOW_USER
                    ? 1
                    : id == FAILING_USER
                            ? 2
                            : id == HANGING_UP_USER ? 3 : random.nextDouble() < flaky ? 1 + random.nextInt(3) : 0;
            switch (mood) {
                case 1:
                    Async.sleep(tooLate);
                    break;
                case 2:
                    Async.sleep(Duration.ofMillis(20));
                    return Http.problem(500, "the orders database is down");
                case 3:
                    return null;
                default:
                    Async.sleep(Duration.ofMillis(20));
            }
            return json(Http.JSON.createObjectNode().put("id", id).put("orders", id * 7 % 10));
        }

        private static int idOf(Http.Request request, String prefix) {
            String path = request.path();
            if (!request.method().equals("GET") || !path.startsWith(prefix)) {
                return -1;
            }
            String id = path.substring(prefix.length());
            return id.matches("[1-9][0-9]{0,8}") ? Integer.parseInt(id) : -1;
        }

        private static Http.Reply json(JsonNode body) {
            return new Http.Reply(200, "application/json", Http.JSON.writeValueAsBytes(body));
        }
    }
}
