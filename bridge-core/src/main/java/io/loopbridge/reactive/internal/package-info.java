/**
 * Not API: implementation details of loopbridge, public only so that its other packages can reach
 * them. They may change or go away in any release without notice; they are left out of the
 * published Javadoc and of the API compatibility check (japicmp). Do not use them.
 */
package io.loopbridge.reactive.internal;
