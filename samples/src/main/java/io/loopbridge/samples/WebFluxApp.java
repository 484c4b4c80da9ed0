package io.loopbridge.samples;

import io.loopbridge.Async;
import io.loopbridge.loop.EventLoop;
import io.loopbridge.reactor.ReactorBridge;
import io.loopbridge.task.AsyncTimeoutException;
import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.concurrent.CountDownLatch;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.Banner;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.http.codec.autoconfigure.CodecsAutoConfiguration;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.reactor.netty.autoconfigure.NettyReactiveWebServerAutoConfiguration;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.boot.webflux.autoconfigure.HttpHandlerAutoConfiguration;
import org.springframework.boot.webflux.autoconfigure.WebFluxAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.client.ReactorResourceFactory;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.web.reactive.function.client.WebClient;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;
import reactor.core.publisher.Mono;

/**
 * Dropping coroutines into an existing Reactor application: a Spring Boot WebFlux app whose {@code
 * GET /hello/{name}} handler is a coroutine ({@link ReactorBridge#mono}) that asks two backends at
 * once ({@link Async#gather}) within a deadline ({@link Async#waitFor}). The sample starts the app
 * on 127.0.0.1 and a free port, queries it with {@link WebClient} from a coroutine of its own,
 * prints the answers (200, 404 for an unknown user, 504 when a backend is too slow) and closes the
 * application context, which stops the server and then the app's event loop.
 *
 * <p>Only what the endpoint needs is configured: the Netty server, WebFlux, codecs and Jackson; lazy
 * initialization, no banner, logging at WARN.
 */
public final class WebFluxApp implements Sample {
    @Override
    public String name() {
        return "webflux";
    }

    @Override
    public String description() {
        return "a Spring Boot WebFlux endpoint whose handler is a coroutine (ReactorBridge.mono), queried with WebClient";
    }

    @Override
    public void run(String[] args, PrintStream out) {
        Duration latency = Delays.fromArgs(args, Duration.ofMillis(20));
        ConfigurableApplicationContext app = start(latency);
        AppLoop appLoop = app.getBean(AppLoop.class);
        try {
            int port = port(app);
            out.println("-- a Spring Boot WebFlux app on 127.0.0.1, a free port (server.port=0)");
            out.println("GET /hello/{name} is a coroutine: two backends at once, "
                    + app.getEnvironment().getProperty("hello.timeout") + " for both");
            // the client shares the app's Netty resources: closing the context releases them all
            WebClient client = WebClient.builder()
                    .baseUrl("http://127.0.0.1:" + port)
                    .clientConnector(
                            new ReactorClientHttpConnector(app.getBean(ReactorResourceFactory.class), http -> http))
                    .build();
            Async.run(() -> {
                for (String name : List.of("ada", "grace", "nobody", "slowpoke")) {
                    out.println(get(client, "/hello/" + name));
                }
                return null;
            });
        } finally {
            app.close();
        }
        out.println("-- context closed: server stopped, app loop closed: "
                + appLoop.loop().isClosed());
    }

    /** From a coroutine: one request, awaited (not blocked on), as {@code "GET path -> status body"}. */
    static String get(WebClient client, String path) {
        return ReactorBridge.await(client.get()
                .uri(path)
                .exchangeToMono(response -> response.bodyToMono(String.class)
                        .map(body ->
                                "GET " + path + " -> " + response.statusCode().value() + " " + body)));
    }

    /**
     * Starts the application on 127.0.0.1 and a free port. The user directory answers after {@code
     * latency}, the quote service after twice that, and the pair has {@code 50 * latency} (a margin
     * wide enough for a loaded machine) before the handler gives up with 504.
     */
    static ConfigurableApplicationContext start(Duration latency) {
        SpringApplication app = new SpringApplication(Application.class);
        app.setWebApplicationType(WebApplicationType.REACTIVE);
        app.setBannerMode(Banner.Mode.OFF);
        app.setLogStartupInfo(false);
        app.setLazyInitialization(true);
        app.setDefaultProperties(Map.of(
                "server.address", "127.0.0.1",
                "server.port", "0",
                "logging.level.root", "warn",
                "hello.latency", latency.toMillis() + "ms",
                "hello.timeout", latency.multipliedBy(50).toMillis() + "ms"));
        return app.run();
    }

    /** The port the server listens on. */
    static int port(ConfigurableApplicationContext app) {
        return ((WebServerApplicationContext) app).getWebServer().getPort();
    }

    // ---------------------------------------------------------------- the application

    /**
     * The whole Spring configuration: Netty resources of its own, the loop, the backends, the
     * handler and its route.
     */
    @SpringBootConfiguration(proxyBeanMethods = false)
    @ImportAutoConfiguration({
        NettyReactiveWebServerAutoConfiguration.class,
        HttpHandlerAutoConfiguration.class,
        WebFluxAutoConfiguration.class,
        CodecsAutoConfiguration.class,
        JacksonAutoConfiguration.class
    })
    static class Application {
        /**
         * Netty threads owned by this context rather than reactor-netty's global ones, so closing
         * one application (the sample's) cannot stop the server of another in the same JVM (a
         * test's); nothing is in flight at close, so there is no quiet period to wait out.
         */
        @Bean
        ReactorResourceFactory reactorResourceFactory() {
            ReactorResourceFactory resources = new ReactorResourceFactory();
            resources.setUseGlobalResources(false);
            resources.setShutdownQuietPeriod(Duration.ZERO);
            return resources;
        }

        @Bean
        AppLoop appLoop() {
            return new AppLoop();
        }

        @Bean
        Backends backends(@Value("${hello.latency}") Duration latency) {
            return new Backends(latency);
        }

        @Bean
        HelloHandler helloHandler(AppLoop appLoop, Backends backends, @Value("${hello.timeout}") Duration timeout) {
            return new HelloHandler(appLoop.loop(), backends, timeout);
        }

        @Bean
        RouterFunction<ServerResponse> routes(HelloHandler hello) {
            return RouterFunctions.route().GET("/hello/{name}", hello::hello).build();
        }
    }

    /**
     * The application's event loop, run on a thread of its own from context start to context close
     * (Spring calls {@link #close} after the server has stopped).
     */
    static final class AppLoop implements AutoCloseable {
        private final EventLoop loop = new EventLoop();
        private final Thread thread;

        AppLoop() {
            CountDownLatch running = new CountDownLatch(1);
            loop.callSoon(running::countDown);
            thread = new Thread(
                    () -> {
                        try {
                            loop.runForever();
                        } finally {
                            loop.close();
                        }
                    },
                    "webflux-app-loop");
            thread.setDaemon(true);
            thread.start();
            try {
                running.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        EventLoop loop() {
            return loop;
        }

        @Override
        public void close() throws InterruptedException {
            loop.callSoonThreadsafe(loop::stop);
            thread.join();
        }
    }

    /** Two services the handler depends on; coroutines, as a client of the loop's I/O would be. */
    static final class Backends {
        private static final Map<String, String> USERS = Map.of(
                "ada", "Ada Lovelace",
                "grace", "Grace Hopper",
                "slowpoke", "Slow Poke");
        private static final Map<String, String> QUOTES = Map.of(
                "ada", "The Analytical Engine weaves algebraical patterns.",
                "grace", "A ship in port is safe, but that is not what ships are built for.");

        private final Duration latency;

        Backends(Duration latency) {
            this.latency = latency;
        }

        /** The user directory: a full name, or {@link NoSuchElementException}. */
        String fullName(String user) {
            Async.sleep(latency);
            String name = USERS.get(user);
            if (name == null) {
                throw new NoSuchElementException("no user named '" + user + "'");
            }
            return name;
        }

        /** The quote service: twice as slow, and for "slowpoke" far too slow. */
        String quote(String user) {
            Async.sleep(user.equals("slowpoke") ? latency.multipliedBy(100) : latency.multipliedBy(2));
            return QUOTES.getOrDefault(user, "Hello, world.");
        }
    }

    /** The JSON answer of {@code GET /hello/{name}}. */
    record Greeting(String greeting, String quote, boolean handledOnLoop) {}

    /** The JSON answer of a failed request. */
    record Problem(int status, String error) {}

    /** The handler: a coroutine per request, its outcome mapped to a response. */
    static final class HelloHandler {
        private final EventLoop loop;
        private final Backends backends;
        private final Duration timeout;

        HelloHandler(EventLoop loop, Backends backends, Duration timeout) {
            this.loop = loop;
            this.backends = backends;
            this.timeout = timeout;
        }

        Mono<ServerResponse> hello(ServerRequest request) {
            String user = request.pathVariable("name");
            return ReactorBridge.mono(loop, () -> greet(user))
                    .flatMap(g -> ServerResponse.ok()
                            .contentType(MediaType.APPLICATION_JSON)
                            .bodyValue(g))
                    .onErrorResume(NoSuchElementException.class, e -> problem(HttpStatus.NOT_FOUND, e.getMessage()))
                    .onErrorResume(
                            AsyncTimeoutException.class,
                            e -> problem(
                                    HttpStatus.GATEWAY_TIMEOUT,
                                    "the backends took longer than " + timeout.toMillis() + " ms"));
        }

        /** On the loop: both backends at once; past the timeout both are cancelled. */
        Greeting greet(String user) {
            List<String> both =
                    Async.waitFor(Async.gather(() -> backends.fullName(user), () -> backends.quote(user)), timeout);
            return new Greeting("Hello, " + both.get(0) + "!", both.get(1), loop.inLoop());
        }

        private static Mono<ServerResponse> problem(HttpStatus status, String message) {
            return ServerResponse.status(status)
                    .contentType(MediaType.APPLICATION_JSON)
                    .bodyValue(new Problem(status.value(), message));
        }
    }
}
