package io.loopbridge.samples;

import static io.loopbridge.samples.SampleRun.expected;
import static io.loopbridge.samples.SampleRun.lines;
import static org.assertj.core.api.Assertions.assertThat;

import io.loopbridge.samples.WebFluxApp.AppLoop;
import io.loopbridge.samples.WebFluxApp.Greeting;
import io.loopbridge.samples.WebFluxApp.Problem;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

class WebFluxAppTest {
    static ConfigurableApplicationContext app;
    static WebTestClient client;

    @BeforeAll
    static void startTheApplication() {
        app = WebFluxApp.start(Duration.ofMillis(20));
        client = WebTestClient.bindToServer()
                .baseUrl("http://127.0.0.1:" + WebFluxApp.port(app))
                .responseTimeout(Duration.ofSeconds(10))
                .build();
    }

    @AfterAll
    static void closeTheApplication() {
        AppLoop loop = app.getBean(AppLoop.class);
        app.close();
        assertThat(loop.loop().isClosed())
                .as("the app's loop is closed with the context")
                .isTrue();
    }

    @Test
    void theSamplePrintsTheAnswersToItsOwnRequests() throws Exception {
        assertThat(lines(new WebFluxApp())).containsExactlyElementsOf(expected("""
                -- a Spring Boot WebFlux app on 127.0.0.1, a free port (server.port=0)
                GET /hello/{name} is a coroutine: two backends at once, 1000ms for both
                GET /hello/ada -> 200 {"greeting":"Hello, Ada Lovelace!","quote":"The Analytical Engine weaves algebraical patterns.","handledOnLoop":true}
                GET /hello/grace -> 200 {"greeting":"Hello, Grace Hopper!","quote":"A ship in port is safe, but that is not what ships are built for.","handledOnLoop":true}
                GET /hello/nobody -> 404 {"status":404,"error":"no user named 'nobody'"}
                GET /hello/slowpoke -> 504 {"status":504,"error":"the backends took longer than 1000 ms"}
                -- context closed: server stopped, app loop closed: true
                """));
    }

    @Test
    void theServerListensOnLoopbackOnAFreePort() {
        assertThat(WebFluxApp.port(app)).isPositive();
        assertThat(app.getEnvironment().getProperty("server.address")).isEqualTo("127.0.0.1");
    }

    @Test
    void aKnownUserIsGreetedWithBothBackendsAnswers() {
        client.get()
                .uri("/hello/{name}", "ada")
                .exchange()
                .expectStatus()
                .isOk()
                .expectHeader()
                .contentType(MediaType.APPLICATION_JSON)
                .expectBody(Greeting.class)
                .isEqualTo(new Greeting(
                        "Hello, Ada Lovelace!", "The Analytical Engine weaves algebraical patterns.", true));
    }

    @Test
    void anUnknownUserIs404() {
        client.get()
                .uri("/hello/{name}", "nobody")
                .exchange()
                .expectStatus()
                .isNotFound()
                .expectBody(Problem.class)
                .isEqualTo(new Problem(404, "no user named 'nobody'"));
    }

    @Test
    void aBackendPastTheTimeoutIs504() {
        client.get()
                .uri("/hello/{name}", "slowpoke")
                .exchange()
                .expectStatus()
                .isEqualTo(504)
                .expectBody(Problem.class)
                .isEqualTo(new Problem(504, "the backends took longer than 1000 ms"));
    }

    @Test
    void anUnknownPathIs404FromWebFluxItself() {
        client.get().uri("/goodbye").exchange().expectStatus().isNotFound();
    }
}
