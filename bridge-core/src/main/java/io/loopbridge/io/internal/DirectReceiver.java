package io.loopbridge.io.internal;

import java.nio.ByteBuffer;

/**
 * A protocol that takes received bytes straight from the transport's read buffer, so a read costs
 * no array of its own (the stream protocol copies them into its reader's buffer anyway). The socket
 * transport calls this instead of {@code dataReceived(byte[])}; {@code data} is valid only during
 * the call. Not API.
 */
public interface DirectReceiver {
    void dataReceived(ByteBuffer data);
}
