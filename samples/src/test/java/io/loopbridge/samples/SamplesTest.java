package io.loopbridge.samples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class SamplesTest {
    @Test
    void namesAreUniqueAndEverySampleIsFound() {
        List<String> names = Samples.ALL.stream().map(Sample::name).toList();
        assertThat(names).doesNotHaveDuplicates();
        for (String name : names) {
            assertThat(Samples.find(name)).isPresent();
        }
        assertThat(Samples.find("no-such-sample")).isEmpty();
    }

    @Test
    void theSamplesWithoutNetworkComeInTourOrder() {
        List<String> names = Samples.ALL.stream().map(Sample::name).toList();
        assertThat(names)
                .containsSubsequence(
                        "print-sum",
                        "future-callback",
                        "factorial",
                        "iterators",
                        "generators",
                        "awaitables",
                        "cooperative",
                        "threads-vs-loop",
                        "fetch-rows",
                        "migrate",
                        "reactor-interop",
                        "rxjava-interop");
    }

    @Test
    void theWebFluxSampleFollowsTheInteropSamples() {
        List<String> names = Samples.ALL.stream().map(Sample::name).toList();
        assertThat(names).containsSubsequence("reactor-interop", "rxjava-interop", "webflux");
    }

    @Test
    void theNetworkSamplesComeLastAndOnlyTheEchoClientNeedsArguments() {
        List<String> names = Samples.ALL.stream().map(Sample::name).toList();
        assertThat(names)
                .containsSubsequence(
                        "webflux", "http-headers", "echo-server", "echo-client", "echo-protocol", "gateway");
        assertThat(Samples.ALL)
                .filteredOn(s -> !s.inTour())
                .extracting(Sample::name)
                .containsExactly("echo-client");
    }

    @Test
    void aSampleFailingWithALinkageErrorFailsAloneAndTheTourGoesOn() {
        Sample broken = sample("broken", () -> {
            throw new NoClassDefFoundError("org/example/Missing");
        });
        Sample fine = sample("fine", () -> {});
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        boolean ok = Samples.tour(List.of(broken, fine), new PrintStream(bytes, true, StandardCharsets.UTF_8));
        String output = bytes.toString(StandardCharsets.UTF_8);
        assertThat(ok).isFalse();
        assertThat(output)
                .contains(
                        "!! broken failed: java.lang.NoClassDefFoundError: org/example/Missing",
                        "== fine: the fine sample")
                .endsWith("tour: 1/2 samples ok" + System.lineSeparator());
    }

    private static Sample sample(String name, Runnable body) {
        return new Sample() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public String description() {
                return "the " + name + " sample";
            }

            @Override
            public void run(String[] args, PrintStream out) {
                body.run();
            }
        };
    }

    @Test
    void listPrintsOneLinePerSample() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        Samples.list(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        List<String> lines = bytes.toString(StandardCharsets.UTF_8).lines().toList();
        assertThat(lines).hasSize(Samples.ALL.size());
        for (int i = 0; i < lines.size(); i++) {
            Sample s = Samples.ALL.get(i);
            assertThat(lines.get(i)).startsWith(s.name() + " ").endsWith(s.description());
        }
    }
}
