/** The event loop, its handles and groups of loops. */
package io.loopbridge.loop;
