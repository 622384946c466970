package org.twinbridge.runtime.journal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class GroupCommitTest {

    private final ExecutorService callers = Executors.newCachedThreadPool();
    private final List<List<String>> transactions = new CopyOnWriteArrayList<>();
    private final CountDownLatch firstCommitMayEnd = new CountDownLatch(1);
    private final CountDownLatch firstCommitStarted = new CountDownLatch(1);

    @AfterEach
    void stop() {
        firstCommitMayEnd.countDown();
        callers.shutdownNow();
    }

    /** Commits by upper-casing; "bad" fails its transaction; the first transaction waits until released. */
    private List<String> commit(List<String> inputs) throws SQLException {
        if (transactions.isEmpty()) {
            transactions.add(inputs);
            firstCommitStarted.countDown();
            await(firstCommitMayEnd);
        } else {
            transactions.add(inputs);
        }
        if (inputs.contains("bad")) {
            throw new SQLException("constraint violated");
        }
        return inputs.stream().map(String::toUpperCase).toList();
    }

    @Test
    void callersQueuedBehindACommit_shareTheNextTransaction_andEachGetsItsOwnResult() throws Exception {
        GroupCommit<String, String> commits = new GroupCommit<>(this::commit, 100);
        Future<String> first = callers.submit(() -> commits.submit("a", 1));
        await(firstCommitStarted);
        List<Future<String>> queued = new ArrayList<>();
        for (String input : List.of("b", "c", "d")) {
            queued.add(callers.submit(() -> commits.submit(input, 1)));
        }
        Thread.sleep(200); // let them queue behind the first transaction

        firstCommitMayEnd.countDown();

        assertThat(first.get(10, TimeUnit.SECONDS)).isEqualTo("A");
        List<String> results = new ArrayList<>();
        for (Future<String> f : queued) {
            results.add(f.get(10, TimeUnit.SECONDS));
        }
        assertThat(results).containsExactly("B", "C", "D");
        assertThat(transactions).hasSize(2);
        assertThat(transactions.get(1)).containsExactlyInAnyOrder("b", "c", "d");
    }

    @Test
    void aFailingInput_failsOnlyItsOwnCaller_theOthersAreCommittedAlone() throws Exception {
        GroupCommit<String, String> commits = new GroupCommit<>(this::commit, 100);
        Future<String> first = callers.submit(() -> commits.submit("a", 1));
        await(firstCommitStarted);
        Future<String> good = callers.submit(() -> commits.submit("good", 1));
        Future<String> bad = callers.submit(() -> commits.submit("bad", 1));
        Thread.sleep(200);

        firstCommitMayEnd.countDown();

        assertThat(first.get(10, TimeUnit.SECONDS)).isEqualTo("A");
        assertThat(good.get(10, TimeUnit.SECONDS)).isEqualTo("GOOD");
        assertThatThrownBy(() -> bad.get(10, TimeUnit.SECONDS)).hasCauseInstanceOf(SQLException.class);
        assertThat(transactions).contains(List.of("good"), List.of("bad"));
    }

    @Test
    void aTransactionTakesNoMoreThanMaxItems_butALargerInputIsCommittedWhole() throws Exception {
        GroupCommit<String, String> commits = new GroupCommit<>(this::commit, 3);
        Future<String> first = callers.submit(() -> commits.submit("a", 1));
        await(firstCommitStarted);
        Future<String> two = callers.submit(() -> commits.submit("two", 2));
        Thread.sleep(100);
        Future<String> alsoTwo = callers.submit(() -> commits.submit("also-two", 2));
        Thread.sleep(100);
        Future<String> large = callers.submit(() -> commits.submit("large", 5));
        Thread.sleep(100);

        firstCommitMayEnd.countDown();

        assertThat(List.of(first.get(10, TimeUnit.SECONDS), two.get(10, TimeUnit.SECONDS),
                alsoTwo.get(10, TimeUnit.SECONDS), large.get(10, TimeUnit.SECONDS)))
                .containsExactly("A", "TWO", "ALSO-TWO", "LARGE");
        assertThat(transactions.subList(1, transactions.size()))
                .containsExactly(List.of("two"), List.of("also-two"), List.of("large"));
    }

    private static void await(CountDownLatch latch) {
        try {
            assertThat(latch.await(10, TimeUnit.SECONDS)).isTrue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
