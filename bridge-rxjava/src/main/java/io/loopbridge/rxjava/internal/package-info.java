/**
 * Not API: the RxJava bridge's machinery, public only so that {@code ServiceLoader} and the bridge's
 * public package can reach it. It may change or go away in any release; it is left out of the
 * published Javadoc and of the API compatibility check. Do not use it.
 */
package io.loopbridge.rxjava.internal;
