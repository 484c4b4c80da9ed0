package io.loopbridge.loop;

import static io.loopbridge.NoLoopbridgeThreadsLeft.liveLoopbridgeThreads;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.loopbridge.NoLoopbridgeThreadsLeft;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@ExtendWith(NoLoopbridgeThreadsLeft.class)
class LoopGroupTest {

    /** The thread each loop runs on, asked through the only thread-safe entry point. */
    private static List<Thread> threadsOf(LoopGroup group) {
        List<CompletableFuture<Thread>> answers = group.loops().stream()
                .map(loop -> {
                    CompletableFuture<Thread> answer = new CompletableFuture<>();
                    loop.callSoonThreadsafe(() -> answer.complete(loop.inLoop() ? Thread.currentThread() : null));
                    return answer;
                })
                .toList();
        return answers.stream()
                .map(a -> a.orTimeout(5, TimeUnit.SECONDS).join())
                .toList();
    }

    @Test
    void hasOneLoopPerProcessorByDefault() {
        try (LoopGroup group = new LoopGroup()) {
            assertThat(group.size()).isEqualTo(Runtime.getRuntime().availableProcessors());
            assertThat(group.loops()).hasSize(group.size()).doesNotHaveDuplicates();
            assertThat(group.loops()).allMatch(EventLoop::isRunning);
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {0, -1})
    void rejectsASizeBelowOne(int size) {
        assertThatThrownBy(() -> new LoopGroup(size))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(String.valueOf(size));
    }

    @Test
    void nextHandsOutTheLoopsRoundRobin() {
        try (LoopGroup group = new LoopGroup(3)) {
            List<EventLoop> loops = group.loops();

            List<EventLoop> handedOut = Stream.generate(group::next).limit(7).toList();

            assertThat(handedOut)
                    .containsExactly(
                            loops.get(0),
                            loops.get(1),
                            loops.get(2),
                            loops.get(0),
                            loops.get(1),
                            loops.get(2),
                            loops.get(0));
        }
    }

    @Test
    void workSubmittedWithCallSoonThreadsafeRunsOnTheGroupsThreads() {
        try (LoopGroup group = new LoopGroup(2)) {
            List<Thread> threads = threadsOf(group);

            assertThat(threads).doesNotContainNull().doesNotHaveDuplicates().doesNotContain(Thread.currentThread());
            assertThat(threads).extracting(Thread::getName).allMatch(name -> name.startsWith("loopbridge-"));
        }
    }

    @Test
    void shutdownGracefullyStopsAndClosesEveryLoop() {
        LoopGroup group = new LoopGroup(3);
        List<Thread> threads = threadsOf(group);

        assertThat(group.shutdownGracefully(Duration.ofSeconds(5))).isTrue();

        assertThat(group.loops()).allSatisfy(loop -> {
            assertThat(loop.isRunning()).isFalse();
            assertThat(loop.isClosed()).isTrue();
        });
        assertThat(threads).noneMatch(Thread::isAlive);
        assertThat(liveLoopbridgeThreads()).noneMatch(name -> name.startsWith("loopbridge-group-"));
    }

    @Test
    void shutdownGracefullyFromALoopOfTheGroupIsRejected() {
        try (LoopGroup group = new LoopGroup(1)) {
            EventLoop loop = group.next();
            CompletableFuture<Throwable> thrown = new CompletableFuture<>();
            loop.callSoonThreadsafe(() -> {
                try {
                    group.shutdownGracefully(Duration.ofSeconds(1));
                    thrown.complete(null);
                } catch (IllegalStateException e) {
                    thrown.complete(e);
                }
            });

            assertThat(thrown.orTimeout(5, TimeUnit.SECONDS).join())
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("wait for itself");
        }
    }
}
