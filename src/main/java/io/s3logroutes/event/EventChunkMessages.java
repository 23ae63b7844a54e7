package io.s3logroutes.event;

import java.util.ArrayList;
import java.util.Iterator;

import org.apache.camel.CamelContext;
import org.apache.camel.Message;
import org.apache.camel.support.DefaultMessage;

/**
 * Chunks as the messages of the event stage: the events as a mutable {@code List<LogEvent>} body, with the headers
 * {@link EventStage#INPUT} and {@link EventStage#SOURCE}. An input's {@code split} iterates over them.
 */
public final class EventChunkMessages {

    private EventChunkMessages() {
    }

    public static Message message(CamelContext context, EventChunk chunk) {
        Message m = new DefaultMessage(context);
        m.setBody(new ArrayList<>(chunk.events()));
        m.setHeader(EventStage.INPUT, chunk.input());
        m.setHeader(EventStage.SOURCE, chunk.source());
        return m;
    }

    /** The messages of the chunks, made as the split takes them; closing it closes the chunks' source. */
    public static Iterator<Message> messages(CamelContext context, Iterator<EventChunk> chunks) {
        return new Messages(context, chunks);
    }

    private static final class Messages implements Iterator<Message>, java.io.Closeable {
        private final CamelContext context;
        private final Iterator<EventChunk> chunks;

        Messages(CamelContext context, Iterator<EventChunk> chunks) {
            this.context = context;
            this.chunks = chunks;
        }

        @Override
        public boolean hasNext() {
            return chunks.hasNext();
        }

        @Override
        public Message next() {
            return message(context, chunks.next());
        }

        @Override
        public void close() throws java.io.IOException {
            if (chunks instanceof java.io.Closeable c) {
                c.close();
            }
        }
    }
}
