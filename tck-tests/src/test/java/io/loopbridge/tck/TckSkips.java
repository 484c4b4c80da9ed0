package io.loopbridge.tck;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/** The skips the TCK itself imposes, named once for the classes that extend the same verification. */
final class TckSkips {
    private TckSkips() {}

    /** The {@code untested_*} tests of {@code PublisherVerification}: each is {@code notVerified()}. */
    static final Map<String, String> PUBLISHER_UNTESTED = of(
            "untested_spec106_mustConsiderSubscriptionCancelledAfterOnErrorOrOnCompleteHasBeenCalled",
            "§1.6 " + Tck.UNTESTED,
            "untested_spec107_mustNotEmitFurtherSignalsOnceOnErrorHasBeenSignalled",
            "§1.7 " + Tck.UNTESTED,
            "untested_spec108_possiblyCanceledSubscriptionShouldNotReceiveOnErrorOrOnCompleteSignals",
            "§1.8 " + Tck.UNTESTED,
            "untested_spec109_subscribeShouldNotThrowNonFatalThrowable",
            "§1.9 " + Tck.UNTESTED,
            "untested_spec110_rejectASubscriptionRequestIfTheSameSubscriberSubscribesTwice",
            "§1.10 " + Tck.UNTESTED,
            "untested_spec304_requestShouldNotPerformHeavyComputations",
            "§3.4 " + Tck.UNTESTED,
            "untested_spec305_cancelMustNotSynchronouslyPerformHeavyComputation",
            "§3.5 " + Tck.UNTESTED);

    /**
     * The {@code PublisherVerification} tests that need more elements than a 0..1 publisher
     * ({@code maxElementsFromPublisher() == 1}) can emit; the TCK skips them itself.
     */
    static final Map<String, String> AT_MOST_ONE_ELEMENT = of(
            "required_createPublisher3MustProduceAStreamOfExactly3Elements",
            needs(3),
            "required_spec101_subscriptionRequestMustResultInTheCorrectNumberOfProducedElements",
            needs(5),
            "required_spec102_maySignalLessThanRequestedAndTerminateSubscription",
            needs(3),
            "stochastic_spec103_mustSignalOnMethodsSequentially",
            needs(10),
            "required_spec105_mustSignalOnCompleteWhenFiniteStreamTerminates",
            needs(3),
            "optional_spec111_multicast_mustProduceTheSameElementsInTheSameSequenceToAllOfItsSubscribersWhenRequestingOneByOne",
            needs(5),
            "optional_spec111_multicast_mustProduceTheSameElementsInTheSameSequenceToAllOfItsSubscribersWhenRequestingManyUpfront",
            needs(3),
            "optional_spec111_multicast_mustProduceTheSameElementsInTheSameSequenceToAllOfItsSubscribersWhenRequestingManyUpfrontAndCompleteAsExpected",
            needs(3),
            "required_spec302_mustAllowSynchronousRequestCallsFromOnNextAndOnSubscribe",
            needs(6),
            "required_spec303_mustNotAllowUnboundedRecursion",
            needs(2),
            "required_spec306_afterSubscriptionIsCancelledRequestMustBeNops",
            needs(3),
            "required_spec309_requestZeroMustSignalIllegalArgumentException",
            needs(10),
            "required_spec309_requestNegativeNumberMustSignalIllegalArgumentException",
            needs(10),
            "optional_spec309_requestNegativeNumberMaySignalIllegalArgumentExceptionWithSpecificMessage",
            needs(10),
            "required_spec312_cancelMustMakeThePublisherToEventuallyStopSignaling",
            needs(20),
            "required_spec313_cancelMustMakeThePublisherEventuallyDropAllReferencesToTheSubscriber",
            needs(3),
            "required_spec317_mustSupportAPendingElementCountUpToLongMaxValue",
            needs(3),
            "required_spec317_mustSupportACumulativePendingElementCountUpToLongMaxValue",
            needs(3),
            "required_spec317_mustNotSignalOnErrorWhenPendingAboveLongMaxValue",
            needs(Integer.MAX_VALUE));

    /** The {@code untested_*} tests of {@code SubscriberWhiteboxVerification}. */
    static final Map<String, String> WHITEBOX_UNTESTED = of(
            "untested_spec202_shouldAsynchronouslyDispatch",
            "§2.2 " + Tck.UNTESTED,
            "untested_spec204_mustConsiderTheSubscriptionAsCancelledInAfterRecievingOnCompleteOrOnError",
            "§2.4 " + Tck.UNTESTED,
            "untested_spec206_mustCallSubscriptionCancelIfItIsNoLongerValid",
            "§2.6 " + Tck.UNTESTED,
            "untested_spec207_mustEnsureAllCallsOnItsSubscriptionTakePlaceFromTheSameThreadOrTakeCareOfSynchronization",
            "§2.7 " + Tck.UNTESTED,
            "untested_spec211_mustMakeSureThatAllCallsOnItsMethodsHappenBeforeTheProcessingOfTheRespectiveEvents",
            "§2.11 " + Tck.UNTESTED,
            "untested_spec212_mustNotCallOnSubscribeMoreThanOnceBasedOnObjectEquality_specViolation",
            "§2.12 " + Tck.UNTESTED,
            "untested_spec213_failingOnSignalInvocation",
            "§2.13 " + Tck.UNTESTED,
            "untested_spec301_mustNotBeCalledOutsideSubscriberContext",
            "§3.1 " + Tck.UNTESTED,
            "untested_spec310_requestMaySynchronouslyCallOnNextOnSubscriber",
            "§3.10 " + Tck.UNTESTED,
            "untested_spec311_requestMaySynchronouslyCallOnCompleteOrOnError",
            "§3.11 " + Tck.UNTESTED,
            "untested_spec314_cancelMayCauseThePublisherToShutdownIfNoOtherSubscriptionExists",
            "§3.14 " + Tck.UNTESTED,
            "untested_spec315_cancelMustNotThrowExceptionAndMustSignalOnError",
            "§3.15 " + Tck.UNTESTED,
            "untested_spec316_requestMustNotThrowExceptionAndMustOnErrorTheSubscriber",
            "§3.16 " + Tck.UNTESTED);

    /** The {@code untested_*} tests of {@code SubscriberBlackboxVerification}. */
    static final Map<String, String> BLACKBOX_UNTESTED = of(
            "untested_spec202_blackbox_shouldAsynchronouslyDispatch",
            "§2.2 " + Tck.UNTESTED,
            "untested_spec204_blackbox_mustConsiderTheSubscriptionAsCancelledInAfterRecievingOnCompleteOrOnError",
            "§2.4 " + Tck.UNTESTED,
            "untested_spec206_blackbox_mustCallSubscriptionCancelIfItIsNoLongerValid",
            "§2.6 " + Tck.UNTESTED,
            "untested_spec207_blackbox_mustEnsureAllCallsOnItsSubscriptionTakePlaceFromTheSameThreadOrTakeCareOfSynchronization",
            "§2.7 " + Tck.UNTESTED,
            "untested_spec208_blackbox_mustBePreparedToReceiveOnNextSignalsAfterHavingCalledSubscriptionCancel",
            "§2.8 " + Tck.UNTESTED + "; the whitebox class checks it",
            "untested_spec211_blackbox_mustMakeSureThatAllCallsOnItsMethodsHappenBeforeTheProcessingOfTheRespectiveEvents",
            "§2.11 " + Tck.UNTESTED,
            "untested_spec212_blackbox_mustNotCallOnSubscribeMoreThanOnceBasedOnObjectEquality",
            "§2.12 " + Tck.UNTESTED,
            "untested_spec213_blackbox_failingOnSignalInvocation",
            "§2.13 " + Tck.UNTESTED,
            "untested_spec301_blackbox_mustNotBeCalledOutsideSubscriberContext",
            "§3.1 " + Tck.UNTESTED,
            "untested_spec308_blackbox_requestMustRegisterGivenNumberElementsToBeProduced",
            "§3.8 " + Tck.UNTESTED + "; the whitebox class checks it",
            "untested_spec310_blackbox_requestMaySynchronouslyCallOnNextOnSubscriber",
            "§3.10 " + Tck.UNTESTED,
            "untested_spec311_blackbox_requestMaySynchronouslyCallOnCompleteOrOnError",
            "§3.11 " + Tck.UNTESTED,
            "untested_spec314_blackbox_cancelMayCauseThePublisherToShutdownIfNoOtherSubscriptionExists",
            "§3.14 " + Tck.UNTESTED,
            "untested_spec315_blackbox_cancelMustNotThrowExceptionAndMustSignalOnError",
            "§3.15 " + Tck.UNTESTED,
            "untested_spec316_blackbox_requestMustNotThrowExceptionAndMustOnErrorTheSubscriber",
            "§3.16 " + Tck.UNTESTED);

    /** The union of {@code maps}; a test named twice is a mistake. */
    @SafeVarargs
    static Map<String, String> union(Map<String, String>... maps) {
        Map<String, String> all = new LinkedHashMap<>();
        for (Map<String, String> m : maps) {
            for (Map.Entry<String, String> e : m.entrySet()) {
                if (all.put(e.getKey(), e.getValue()) != null) {
                    throw new IllegalArgumentException("skip listed twice: " + e.getKey());
                }
            }
        }
        return Collections.unmodifiableMap(all);
    }

    /** A map of {@code test, reason, test, reason, ...}, in that order. */
    static Map<String, String> of(String... testsAndReasons) {
        if (testsAndReasons.length % 2 != 0) {
            throw new IllegalArgumentException("every skipped test needs a reason");
        }
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < testsAndReasons.length; i += 2) {
            if (m.put(testsAndReasons[i], testsAndReasons[i + 1]) != null) {
                throw new IllegalArgumentException("skip listed twice: " + testsAndReasons[i]);
            }
        }
        return Collections.unmodifiableMap(m);
    }

    private static String needs(long elements) {
        return "needs " + elements + " elements; a 0..1 publisher has maxElementsFromPublisher() = 1";
    }
}
