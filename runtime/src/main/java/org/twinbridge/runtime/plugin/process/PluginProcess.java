package org.twinbridge.runtime.plugin.process;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.twinbridge.runtime.deadletter.DeliveryFailure;
import org.twinbridge.sdk.internal.host.Messages;
import org.twinbridge.sdk.internal.host.Wire;

/**
 * One running plugin process and its pipes. Frames from the child are read on a thread of their own, under the
 * output size limit; {@link #exchange} waits for the answer no longer than the batch timeout, and a watchdog kills
 * the process at the deadline, so a child that stops reading or writing cannot block the node. The child's stderr
 * is drained and discarded (a plugin's own prints may hold record content). Not thread-safe: its owner
 * serialises calls.
 */
final class PluginProcess {

    /** Exit status of a JVM started with {@code -XX:+ExitOnOutOfMemoryError}. */
    private static final int OUT_OF_MEMORY_EXIT = 3;
    /**
     * Every plugin process is started from this one thread, which lives as long as the node's JVM: bubblewrap's
     * {@code --die-with-parent} (PR_SET_PDEATHSIG) fires when the thread that started the child ends, not the
     * process, so a child started from a pool or request thread would die with that thread.
     */
    private static final java.util.concurrent.ExecutorService LAUNCHER = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "plugin-process-launcher");
        t.setDaemon(true);
        return t;
    });
    private static final ScheduledExecutorService WATCHDOGS = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "plugin-process-watchdog");
        t.setDaemon(true);
        return t;
    });
    private final Process process;
    private final OutputStream toChild;
    private final BlockingQueue<Object> fromChild = new ArrayBlockingQueue<>(2);
    private final AtomicLong stderrBytes = new AtomicLong();
    private volatile boolean killed;
    private volatile DeliveryFailure.Kind killedFor;
    private long nextBatchId = 1;

    private PluginProcess(Process process, int maxOutputBytes) {
        this.process = process;
        this.toChild = new BufferedOutputStream(process.getOutputStream(), 1 << 16);
        Thread reader = new Thread(() -> readFrames(new BufferedInputStream(process.getInputStream(), 1 << 16),
                maxOutputBytes), "plugin-process-" + process.pid() + "-out");
        reader.setDaemon(true);
        reader.start();
        Thread drain = new Thread(() -> drain(process.getErrorStream()), "plugin-process-" + process.pid() + "-err");
        drain.setDaemon(true);
        drain.start();
    }

    /** A failure of the process itself, classified; the process has been killed. */
    static final class ProcessFailure extends Exception {
        private static final long serialVersionUID = 1L;
        private final transient DeliveryFailure.Kind kind;
        private final boolean oversized;

        ProcessFailure(DeliveryFailure.Kind kind, String message) {
            this(kind, message, false);
        }

        ProcessFailure(DeliveryFailure.Kind kind, String message, boolean oversized) {
            super(message, null, false, false);
            this.kind = kind;
            this.oversized = oversized;
        }

        DeliveryFailure.Kind kind() {
            return kind;
        }

        /** Whether the child sent a frame above the output size limit (a protocol violation of its own kind). */
        boolean oversized() {
            return oversized;
        }
    }

    /**
     * Starts the command with an empty environment and waits for the child's greeting.
     *
     * @throws ProcessFailure if it does not start, greets with another protocol version, or reports that its
     *                        plugin cannot load
     */
    static Started start(List<String> command, Path workDir, Duration startTimeout, int maxOutputBytes)
            throws ProcessFailure {
        ProcessBuilder builder = new ProcessBuilder(command).directory(workDir.toFile());
        builder.environment().clear();
        Process process;
        try {
            Files.createDirectories(workDir);
            process = LAUNCHER.submit(builder::start).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ProcessFailure(DeliveryFailure.Kind.PROCESS_CRASHED, "TB-PLUGIN-034 interrupted while "
                    + "starting the plugin process");
        } catch (IOException | java.util.concurrent.ExecutionException e) {
            throw new ProcessFailure(DeliveryFailure.Kind.PROCESS_CRASHED, "TB-PLUGIN-034 cannot start the plugin "
                    + "process (" + e.getClass().getSimpleName() + ")");
        }
        PluginProcess child = new PluginProcess(process, maxOutputBytes);
        byte[] frame = child.await(startTimeout);
        try {
            if (Messages.type(frame) == Wire.FATAL) {
                String reason = Messages.Fatal.decode(frame).reason();
                child.kill(DeliveryFailure.Kind.PROCESS_CRASHED);
                throw new ProcessFailure(DeliveryFailure.Kind.PROCESS_CRASHED, reason);
            }
            Messages.Hello hello = Messages.Hello.decode(frame);
            if (hello.version() != Wire.VERSION) {
                child.kill(DeliveryFailure.Kind.PROTOCOL_VIOLATION);
                throw new ProcessFailure(DeliveryFailure.Kind.PROTOCOL_VIOLATION, "TB-PLUGIN-031 the plugin process "
                        + "speaks protocol version " + hello.version() + "; this node speaks " + Wire.VERSION
                        + " (the plugin API jar and the node differ)");
            }
            return new Started(child, hello);
        } catch (Wire.ProtocolException e) {
            child.kill(DeliveryFailure.Kind.PROTOCOL_VIOLATION);
            throw new ProcessFailure(DeliveryFailure.Kind.PROTOCOL_VIOLATION, e.getMessage());
        }
    }

    /** A started child and its greeting. */
    record Started(PluginProcess process, Messages.Hello hello) {
    }

    /**
     * Sends a batch and waits for its result.
     *
     * @throws ProcessFailure if the child dies, times out, exceeds its memory or breaks the protocol; it is
     *                        killed before this returns
     */
    Messages.Result exchange(Messages.Batch batch, Duration timeout, long maxResidentBytes) throws ProcessFailure {
        byte[] frame = exchangeFrame(batch.encode(), timeout, maxResidentBytes);
        Messages.Result result;
        try {
            result = Messages.Result.decode(frame);
        } catch (Wire.ProtocolException e) {
            kill(DeliveryFailure.Kind.PROTOCOL_VIOLATION);
            throw new ProcessFailure(DeliveryFailure.Kind.PROTOCOL_VIOLATION, e.getMessage());
        }
        if (result.batchId() != batch.batchId()) {
            kill(DeliveryFailure.Kind.PROTOCOL_VIOLATION);
            throw new ProcessFailure(DeliveryFailure.Kind.PROTOCOL_VIOLATION, "TB-PLUGIN-031 the plugin process "
                    + "answered batch " + result.batchId() + " to batch " + batch.batchId());
        }
        return result;
    }

    /**
     * Sends one frame and waits for the one frame that answers it, under the timeout and the memory limit; the
     * caller decodes it (and kills the process if it cannot).
     *
     * @throws ProcessFailure if the child dies, times out, exceeds its memory or sends a frame that cannot be
     *                        read; it is killed before this returns
     */
    byte[] exchangeFrame(byte[] request, Duration timeout, long maxResidentBytes) throws ProcessFailure {
        long deadline = System.nanoTime() + timeout.toNanos();
        ScheduledFuture<?> watchdog = WATCHDOGS.schedule(() -> kill(DeliveryFailure.Kind.PROCESS_TIMEOUT),
                timeout.toNanos(), TimeUnit.NANOSECONDS);
        ScheduledFuture<?> memory = WATCHDOGS.scheduleWithFixedDelay(() -> {
            if (residentBytes().orElse(0L) > maxResidentBytes) {
                kill(DeliveryFailure.Kind.PROCESS_OUT_OF_MEMORY);
            }
        }, 200, 200, TimeUnit.MILLISECONDS);
        try {
            try {
                Wire.writeFrame(toChild, request);
            } catch (IOException e) {
                throw failure();
            }
            return await(Duration.ofNanos(Math.max(1, deadline - System.nanoTime())));
        } finally {
            watchdog.cancel(false);
            memory.cancel(false);
        }
    }

    long nextBatchId() {
        return nextBatchId++;
    }

    private byte[] await(Duration timeout) throws ProcessFailure {
        Object next;
        try {
            next = fromChild.poll(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            kill(DeliveryFailure.Kind.PROCESS_CRASHED);
            throw new ProcessFailure(DeliveryFailure.Kind.PROCESS_CRASHED, "interrupted while waiting for the plugin");
        }
        if (next == null) {
            kill(DeliveryFailure.Kind.PROCESS_TIMEOUT);
            throw failure();
        }
        if (next instanceof byte[] frame) {
            return frame;
        }
        if (next instanceof Wire.ProtocolException e) {
            if (exitedOutOfMemory()) {
                // A JVM dying of OutOfMemoryError may print its last words where a frame should be.
                throw failure();
            }
            kill(DeliveryFailure.Kind.PROTOCOL_VIOLATION);
            throw new ProcessFailure(DeliveryFailure.Kind.PROTOCOL_VIOLATION, e.getMessage(),
                    e instanceof Wire.FrameTooLarge);
        }
        throw failure();
    }

    private boolean exitedOutOfMemory() {
        try {
            return process.waitFor(2, TimeUnit.SECONDS) && process.exitValue() == OUT_OF_MEMORY_EXIT;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Why the process is gone: what it was killed for, or how it exited. */
    private ProcessFailure failure() {
        if (!killed) {
            try {
                process.waitFor(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        DeliveryFailure.Kind kind = killedFor;
        if (kind == null) {
            kind = !process.isAlive() && exitCodeOfJvm() == OUT_OF_MEMORY_EXIT
                    ? DeliveryFailure.Kind.PROCESS_OUT_OF_MEMORY : DeliveryFailure.Kind.PROCESS_CRASHED;
        }
        kill(kind);
        return new ProcessFailure(kind, "TB-PLUGIN-035 the plugin process " + switch (kind) {
            case PROCESS_TIMEOUT -> "did not answer in time and was killed";
            case PROCESS_OUT_OF_MEMORY -> "ran out of memory and was killed";
            case PROTOCOL_VIOLATION -> "broke the protocol and was killed";
            default -> "exited" + (process.isAlive() ? "" : " with status " + process.exitValue());
        });
    }

    /** bwrap passes its child's exit status through; without bwrap it is the JVM's own. */
    private int exitCodeOfJvm() {
        return process.exitValue();
    }

    /** Kills the process and everything it started; the first reason given is the one reported. */
    void kill(DeliveryFailure.Kind reason) {
        synchronized (this) {
            if (killedFor == null && process.isAlive()) {
                killedFor = reason;
            }
            killed = true;
        }
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
    }

    /** Asks the child to stop, then kills it if it has not after a grace period. */
    void shutdown(Duration grace) {
        try {
            Wire.writeFrame(toChild, new byte[] {Wire.SHUTDOWN});
            toChild.close();
        } catch (IOException alreadyGone) {
            // nothing to tell
        }
        try {
            process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        killed = true;
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
    }

    boolean alive() {
        return process.isAlive() && !killed;
    }

    long pid() {
        return process.pid();
    }

    /** Resident memory of the process and its descendants (bwrap runs the JVM as its child), if readable. */
    Optional<Long> residentBytes() {
        long total = 0;
        boolean any = false;
        for (ProcessHandle h : (Iterable<ProcessHandle>) () -> java.util.stream.Stream.concat(
                java.util.stream.Stream.of(process.toHandle()), process.descendants()).iterator()) {
            Optional<Long> rss = rss(h.pid());
            if (rss.isPresent()) {
                total += rss.get();
                any = true;
            }
        }
        return any ? Optional.of(total) : Optional.empty();
    }

    private static Optional<Long> rss(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith("VmRSS:")) {
                    String[] parts = line.substring(6).trim().split("\\s+");
                    return Optional.of(Long.parseLong(parts[0]) * 1024);
                }
            }
        } catch (IOException | RuntimeException notLinuxOrGone) {
            return Optional.empty();
        }
        return Optional.empty();
    }

    private void readFrames(InputStream in, int maxOutputBytes) {
        try {
            while (true) {
                byte[] frame = Wire.readFrame(in, maxOutputBytes);
                if (!fromChild.offer(frame)) {
                    // An answer nobody asked for: the child is not following the protocol.
                    fromChild.offer(new Wire.ProtocolException("TB-PLUGIN-031 unsolicited frame"));
                    return;
                }
            }
        } catch (Wire.ProtocolException e) {
            fromChild.offer(e);
        } catch (EOFException e) {
            fromChild.offer(e);
        } catch (IOException e) {
            fromChild.offer(e);
        }
    }

    private void drain(InputStream err) {
        byte[] buffer = new byte[8192];
        try (err) {
            int n;
            while ((n = err.read(buffer)) >= 0) {
                stderrBytes.addAndGet(n);
            }
        } catch (IOException gone) {
            // the process ended
        }
    }
}
