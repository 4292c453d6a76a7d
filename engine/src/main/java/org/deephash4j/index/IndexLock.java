package org.deephash4j.index;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The right to change an index folder: one writer at a time, across threads (a lock per folder in this JVM) and
 * processes (an exclusive lock on the folder's LOCK file, which the system drops when a process dies, so a
 * killed writer never blocks the next one). Readers take no lock.
 */
final class IndexLock implements AutoCloseable {
    private static final ConcurrentHashMap<Path, ReentrantLock> IN_PROCESS = new ConcurrentHashMap<>();

    private final ReentrantLock threads;
    private final FileChannel channel;
    private final FileLock lock;

    private IndexLock(ReentrantLock threads, FileChannel channel, FileLock lock) {
        this.threads = threads;
        this.channel = channel;
        this.lock = lock;
    }

    /** Waits for the folder's writer lock. */
    static IndexLock acquire(Path folder) throws IOException {
        ReentrantLock threads = IN_PROCESS.computeIfAbsent(folder.toRealPath(), p -> new ReentrantLock());
        threads.lock();
        FileChannel channel = null;
        try {
            channel = FileChannel.open(folder.resolve(IndexFormat.LOCK), StandardOpenOption.CREATE,
                    StandardOpenOption.WRITE);
            return new IndexLock(threads, channel, channel.lock());
        } catch (IOException | RuntimeException e) {
            if (channel != null) channel.close();
            threads.unlock();
            throw e;
        }
    }

    @Override
    public void close() throws IOException {
        try {
            lock.release();
            channel.close();
        } finally {
            threads.unlock();
        }
    }
}
