package io.loopbridge.internal;

import java.util.AbstractSet;
import java.util.ConcurrentModificationException;
import java.util.Iterator;
import java.util.NoSuchElementException;

/**
 * A loop's live tasks in creation order, linked through the tasks' own fields: adding and removing
 * allocate nothing. A task is in at most one such set (its loop's). Loop thread only. Not API.
 */
public final class LiveTaskSet extends AbstractSet<LiveTask> {
    /** The sentinel of the circular list: {@code head.nextLive} is the oldest task. */
    private final LiveTask head = new LiveTask() {
        @Override
        public Object task() {
            return null;
        }

        @Override
        public String describe() {
            return "";
        }

        @Override
        public void abandon() {}
    };

    private int size;
    private int modCount;

    public LiveTaskSet() {
        head.prevLive = head;
        head.nextLive = head;
    }

    @Override
    public boolean add(LiveTask t) {
        if (t.nextLive != null) {
            return false;
        }
        LiveTask last = head.prevLive;
        t.prevLive = last;
        t.nextLive = head;
        last.nextLive = t;
        head.prevLive = t;
        size++;
        modCount++;
        return true;
    }

    /** Removes {@code o} if it is linked; only tasks of this set are ever linked into it. */
    @Override
    public boolean remove(Object o) {
        if (!(o instanceof LiveTask)) {
            return false;
        }
        LiveTask t = (LiveTask) o;
        if (t.nextLive == null || t == head) {
            return false;
        }
        t.prevLive.nextLive = t.nextLive;
        t.nextLive.prevLive = t.prevLive;
        t.prevLive = null;
        t.nextLive = null;
        size--;
        modCount++;
        return true;
    }

    @Override
    public boolean contains(Object o) {
        if (!(o instanceof LiveTask) || o == head) {
            return false;
        }
        for (LiveTask t = head.nextLive; t != head; t = t.nextLive) {
            if (t == o) {
                return true;
            }
        }
        return false;
    }

    @Override
    public int size() {
        return size;
    }

    @Override
    public void clear() {
        LiveTask t = head.nextLive;
        while (t != head) {
            LiveTask next = t.nextLive;
            t.prevLive = null;
            t.nextLive = null;
            t = next;
        }
        head.prevLive = head;
        head.nextLive = head;
        size = 0;
        modCount++;
    }

    @Override
    public Iterator<LiveTask> iterator() {
        return new Iterator<>() {
            private LiveTask next = head.nextLive;
            private LiveTask last;
            private int expected = modCount;

            @Override
            public boolean hasNext() {
                return next != head;
            }

            @Override
            public LiveTask next() {
                if (modCount != expected) {
                    throw new ConcurrentModificationException();
                }
                if (next == head) {
                    throw new NoSuchElementException();
                }
                last = next;
                next = next.nextLive;
                return last;
            }

            @Override
            public void remove() {
                if (last == null) {
                    throw new IllegalStateException("next() was not called");
                }
                if (modCount != expected) {
                    throw new ConcurrentModificationException();
                }
                LiveTaskSet.this.remove(last);
                last = null;
                expected = modCount;
            }
        };
    }
}
