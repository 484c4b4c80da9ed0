package io.loopbridge.reactive.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link BatchQueue}: items reach the consumer only at {@code publish()}, in order, whether the
 * producer reuses one chunk while the consumer keeps up or links new ones when it falls behind;
 * {@code discardUnpublished} and {@code clear} hand over exactly the items the consumer will never
 * see.
 */
class BatchQueueTest {
    final BatchQueue<Integer> queue = new BatchQueue<>();
    int nextOffered;

    void offer(int count) {
        for (int k = 0; k < count; k++) {
            queue.push(nextOffered++);
        }
    }

    void offerAndPublish(int count) {
        offer(count);
        queue.publish();
    }

    List<Integer> poll(int count) {
        List<Integer> polled = new ArrayList<>();
        for (int k = 0; k < count; k++) {
            polled.add(queue.poll());
        }
        return polled;
    }

    List<Integer> pollAll() {
        List<Integer> polled = new ArrayList<>();
        for (Integer item; (item = queue.poll()) != null; ) {
            polled.add(item);
        }
        return polled;
    }

    static List<Integer> range(int from, int to) {
        return IntStream.range(from, to).boxed().toList();
    }

    @Nested
    class Publishing {

        @Test
        void offeredItemsStayInvisibleUntilPublished() {
            offer(3);

            assertThat(queue.poll()).isNull();
            assertThat(queue.isEmpty()).isTrue();
            assertThat(queue.size()).isZero();
            assertThat(queue.unpublished()).isEqualTo(3);

            assertThat(queue.publish()).isTrue();

            assertThat(queue.unpublished()).isZero();
            assertThat(queue.isEmpty()).isFalse();
            assertThat(queue.size()).isEqualTo(3);
            assertThat(poll(4)).containsExactly(0, 1, 2, null);
            assertThat(queue.isEmpty()).isTrue();
            assertThat(queue.size()).isZero();
        }

        @Test
        void publishSaysWhetherThereWasAnythingNew() {
            assertThat(queue.publish()).isFalse();
            offer(1);
            assertThat(queue.publish()).isTrue();
            assertThat(queue.publish()).isFalse();
            queue.poll();
            assertThat(queue.publish()).isFalse();
            offer(2);
            assertThat(queue.publish()).isTrue();
        }

        @Test
        void theConsumerStopsAtTheLastPublishedItem() {
            offerAndPublish(2);
            offer(2);

            assertThat(queue.size()).isEqualTo(2);
            assertThat(queue.unpublished()).isEqualTo(2);
            assertThat(poll(3)).containsExactly(0, 1, null);

            queue.publish();

            assertThat(queue.size()).isEqualTo(2);
            assertThat(poll(3)).containsExactly(2, 3, null);
        }

        @Test
        void sizeCountsThePublishedItemsNotYetPolled() {
            offerAndPublish(5);
            queue.poll();
            queue.poll();
            offer(4);

            assertThat(queue.size()).isEqualTo(3);
            assertThat(queue.unpublished()).isEqualTo(4);
        }
    }

    @Nested
    class Chunks {

        @Test
        void aConsumerThatKeepsUpLetsTheProducerReuseOneChunk() {
            Object[] first = queue.pChunk;
            List<Integer> polled = new ArrayList<>();
            for (int lap = 0; lap < 100; lap++) {
                offerAndPublish(100);
                polled.addAll(pollAll());
            }

            assertThat(polled).isEqualTo(range(0, 10_000));
            assertThat(queue.pChunk).isSameAs(first);
        }

        @Test
        void aConsumerThatStaysAlmostAChunkBehindStillLetsTheProducerReuseIt() {
            Object[] first = queue.pChunk;
            offerAndPublish(BatchQueue.CHUNK - 2);
            List<Integer> polled = new ArrayList<>();
            for (int k = 0; k < 1000; k++) {
                offerAndPublish(1);
                polled.add(queue.poll());
            }
            polled.addAll(pollAll());

            assertThat(polled).isEqualTo(range(0, BatchQueue.CHUNK - 2 + 1000));
            assertThat(queue.pChunk).isSameAs(first);
        }

        @Test
        void aConsumerThatFallsBehindGetsEveryItemInOrderThroughLinkedChunks() {
            offerAndPublish(1000);

            assertThat(queue.size()).isEqualTo(1000);
            assertThat(pollAll()).isEqualTo(range(0, 1000));
            assertThat(queue.isEmpty()).isTrue();
        }

        @Test
        void aFullChunkLinksTheNextOneOnTheFollowingOffer() {
            offerAndPublish(BatchQueue.CHUNK + 1);

            assertThat(pollAll()).isEqualTo(range(0, BatchQueue.CHUNK + 1));
        }

        @ParameterizedTest
        @ValueSource(ints = {1, 2, 63, 64, 65, 127, 128, 200, 254, 255, 256, 257, 511, 700})
        void theLinkMayFallAtAnyOffsetInTheChunk(int alreadyPolled) {
            offerAndPublish(alreadyPolled);
            List<Integer> polled = new ArrayList<>(pollAll());
            offerAndPublish(600);
            polled.addAll(pollAll());

            assertThat(polled).isEqualTo(range(0, alreadyPolled + 600));
        }

        @Test
        void theProducerTakesASingleSlotFreedBehindAFullChunkThenLinks() {
            offerAndPublish(BatchQueue.CHUNK);
            List<Integer> polled = new ArrayList<>(poll(1));
            offerAndPublish(1);
            offerAndPublish(1);
            polled.addAll(pollAll());

            assertThat(polled).isEqualTo(range(0, BatchQueue.CHUNK + 2));
        }

        @Test
        void theProducerTakesSlotsFreedAheadThenOneAtATimeThenLinks() {
            offerAndPublish(BatchQueue.CHUNK);
            List<Integer> polled = new ArrayList<>(poll(100));
            offerAndPublish(100);
            offerAndPublish(50);
            polled.addAll(pollAll());

            assertThat(polled).isEqualTo(range(0, BatchQueue.CHUNK + 150));
        }

        @Test
        void aConsumerThatCatchesUpAfterALinkLetsTheProducerReuseTheNewChunk() {
            offerAndPublish(600);
            List<Integer> polled = new ArrayList<>(pollAll());
            Object[] linked = queue.pChunk;
            for (int lap = 0; lap < 50; lap++) {
                offerAndPublish(100);
                polled.addAll(pollAll());
            }

            assertThat(polled).isEqualTo(range(0, 600 + 5000));
            assertThat(queue.pChunk).isSameAs(linked);
        }

        @ParameterizedTest
        @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8})
        void randomBatchesMatchAPlainQueue(long seed) {
            Random random = new Random(seed);
            ArrayDeque<Integer> published = new ArrayDeque<>();
            int unpublished = 0;
            for (int step = 0; step < 2000; step++) {
                int offers = random.nextInt(random.nextBoolean() ? 8 : 300);
                offer(offers);
                unpublished += offers;
                if (random.nextInt(3) > 0) {
                    assertThat(queue.publish()).isEqualTo(unpublished > 0);
                    for (int item = nextOffered - unpublished; item < nextOffered; item++) {
                        published.add(item);
                    }
                    unpublished = 0;
                }
                assertThat(queue.unpublished()).isEqualTo(unpublished);
                assertThat(queue.size()).isEqualTo(published.size());
                int polls = random.nextInt(random.nextBoolean() ? 8 : 400);
                for (int k = 0; k < polls; k++) {
                    assertThat(queue.poll()).as("poll at step %d", step).isEqualTo(published.poll());
                }
            }
        }
    }

    @Nested
    class DiscardingUnpublished {

        @Test
        void handsOverExactlyTheUnpublishedItemsInOrder() {
            offerAndPublish(3);
            offer(2);
            List<Integer> discarded = new ArrayList<>();

            queue.discardUnpublished(discarded::add);

            assertThat(discarded).containsExactly(3, 4);
            assertThat(queue.unpublished()).isZero();
            assertThat(pollAll()).containsExactly(0, 1, 2);
            assertThat(queue.isEmpty()).isTrue();
        }

        @Test
        void handsOverNothingWhenEverythingWasPublished() {
            offerAndPublish(3);
            List<Integer> discarded = new ArrayList<>();

            queue.discardUnpublished(discarded::add);

            assertThat(discarded).isEmpty();
            assertThat(pollAll()).containsExactly(0, 1, 2);
        }

        @Test
        void theConsumerNeverSeesTheDiscardedItemsAfterAPublish() {
            offerAndPublish(3);
            offer(2);
            queue.discardUnpublished(item -> {});

            assertThat(queue.publish()).isFalse();
            assertThat(pollAll()).containsExactly(0, 1, 2);
        }

        @Test
        void handsOverUnpublishedItemsThatSpanALinkedChunk() {
            offerAndPublish(200);
            offer(200);
            List<Integer> discarded = new ArrayList<>();

            queue.discardUnpublished(discarded::add);

            assertThat(discarded).isEqualTo(range(200, 400));
            assertThat(pollAll()).isEqualTo(range(0, 200));
        }

        @Test
        void handsOverUnpublishedItemsThatStartInALinkedChunk() {
            offerAndPublish(300);
            offer(300);
            List<Integer> discarded = new ArrayList<>();

            queue.discardUnpublished(discarded::add);

            assertThat(discarded).isEqualTo(range(300, 600));
            assertThat(pollAll()).isEqualTo(range(0, 300));
        }

        @Test
        void handsOverUnpublishedItemsInAReusedChunk() {
            for (int lap = 0; lap < 10; lap++) {
                offerAndPublish(100);
                pollAll();
            }
            offerAndPublish(50);
            offer(150);
            List<Integer> discarded = new ArrayList<>();

            queue.discardUnpublished(discarded::add);

            assertThat(discarded).isEqualTo(range(1050, 1200));
            assertThat(pollAll()).isEqualTo(range(1000, 1050));
        }
    }

    @Nested
    class Clearing {

        @Test
        void handsThePublishedItemsLeftToDiscardInOrder() {
            offerAndPublish(5);
            queue.poll();
            offer(1);
            List<Integer> discarded = new ArrayList<>();

            queue.clear(discarded::add);

            assertThat(discarded).containsExactly(1, 2, 3, 4);
            assertThat(queue.poll()).isNull();
            assertThat(queue.size()).isZero();
            assertThat(queue.isEmpty()).isTrue();
        }

        @Test
        void laterPublishedItemsAreNotPolled() {
            offerAndPublish(2);
            queue.clear(item -> {});
            offerAndPublish(2);

            assertThat(queue.poll()).isNull();
            assertThat(queue.size()).isZero();
            assertThat(queue.isEmpty()).isTrue();
        }

        @Test
        void clearingTwiceDiscardsOnce() {
            offerAndPublish(3);
            List<Integer> discarded = new ArrayList<>();

            queue.clear(discarded::add);
            queue.clear(discarded::add);

            assertThat(discarded).containsExactly(0, 1, 2);
        }

        @Test
        void clearingAnEmptyQueueDiscardsNothing() {
            List<Integer> discarded = new ArrayList<>();

            queue.clear(discarded::add);

            assertThat(discarded).isEmpty();
            assertThat(queue.poll()).isNull();
        }

        @Test
        void handsOverPublishedItemsAcrossLinkedChunks() {
            offerAndPublish(600);
            List<Integer> polled = poll(10);
            List<Integer> discarded = new ArrayList<>();

            queue.clear(discarded::add);

            assertThat(polled).isEqualTo(range(0, 10));
            assertThat(discarded).isEqualTo(range(10, 600));
            assertThat(queue.poll()).isNull();
        }

        @Test
        void aClearFromTheDiscardHandlerDoesNotDrainTwice() {
            offerAndPublish(3);
            List<Integer> discarded = new ArrayList<>();

            queue.clear(item -> {
                discarded.add(item);
                queue.clear(discarded::add);
            });

            assertThat(discarded).containsExactly(0, 1, 2);
        }
    }

    @Nested
    class AcrossThreads {

        @Test
        @Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
        void aConsumerThreadGetsEveryItemInOrderWhileAProducerThreadPublishesBatches() throws Exception {
            int n = 1_000_000;
            Integer[] items = new Integer[n];
            for (int k = 0; k < n; k++) {
                items[k] = k;
            }
            AtomicBoolean producerDone = new AtomicBoolean();
            AtomicReference<String> failure = new AtomicReference<>();
            int[] received = new int[1];
            Thread producer = new Thread(
                    () -> {
                        try {
                            Random random = new Random(42);
                            int batch = 1 + random.nextInt(100);
                            for (int k = 0; k < n && failure.get() == null; k++) {
                                queue.push(items[k]);
                                if (--batch == 0) {
                                    queue.publish();
                                    batch = 1 + random.nextInt(100);
                                }
                            }
                            queue.publish();
                        } catch (Throwable t) {
                            failure.compareAndSet(null, "producer threw " + t);
                        }
                        producerDone.set(true);
                    },
                    "batch-queue-producer");
            Thread consumer = new Thread(
                    () -> {
                        int expected = 0;
                        try {
                            while (expected < n && failure.get() == null) {
                                boolean done = producerDone.get();
                                Integer item = queue.poll();
                                if (item == null) {
                                    if (done && queue.isEmpty()) {
                                        failure.compareAndSet(null, "the queue ran dry after " + expected + " items");
                                    }
                                    Thread.onSpinWait();
                                } else if (item != expected) {
                                    failure.compareAndSet(null, "got " + item + " where " + expected + " was due");
                                } else {
                                    expected++;
                                }
                            }
                        } catch (Throwable t) {
                            failure.compareAndSet(null, "consumer threw " + t + " where " + expected + " was due");
                        }
                        received[0] = expected;
                    },
                    "batch-queue-consumer");
            producer.setDaemon(true);
            consumer.setDaemon(true);
            producer.start();
            consumer.start();
            consumer.join();
            producer.join();

            assertThat(failure.get()).isNull();
            assertThat(received[0]).isEqualTo(n);
            assertThat(queue.isEmpty()).isTrue();
        }
    }
}
