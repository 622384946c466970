package org.twinbridge.connector.fhir;

import ca.uhn.fhir.context.FhirContext;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.twinbridge.connector.support.FhirPayloads;
import org.twinbridge.connector.support.PayloadException;
import org.twinbridge.sdk.connector.Checkpoints;
import org.twinbridge.sdk.connector.DeadLetter;
import org.twinbridge.sdk.model.CanonicalRecord;

/**
 * The first load by FHIR Bulk Data {@code $export} (Bulk Data Access IG 2.0): kick-off with
 * {@code Prefer: respond-async}, status checks at the pace the server asks for ({@code Retry-After}), then the NDJSON
 * output files downloaded, journalled page by page and the watermark of every type set to the export's
 * {@code transactionTime}, from which incremental polling goes on. It advances by one step per poll, so a long
 * export never holds the poll thread; the job's status URL is a durable checkpoint, so a restart resumes the job
 * instead of starting another. A server without {@code $export} (a 4xx kick-off) gets incremental polling from the
 * beginning instead. A node whose watermarks already exist never exports. Not thread-safe: one poll at a time.
 *
 * <p>Every request goes through the connector's {@link FhirClient} (HAPI's {@code IGenericClient} on
 * {@link FhirHttpTransport}), so the kick-off, the status checks and the downloads have the searches' retries,
 * {@code Retry-After}, circuit breaker and authentication. What stays here is the protocol itself, which HAPI's
 * client does not know: the 202-and-poll sequence, the manifest and the NDJSON lines.
 */
final class BulkExport {

    static final String JOB = "bulk-export:job";
    static final String DONE = "bulk-export:done";
    private static final Logger LOG = LoggerFactory.getLogger(BulkExport.class);
    private static final int MAX_CHECKPOINT = 500; // the node's checkpoint column holds 512
    private static final Duration LONGEST_WAIT = Duration.ofMinutes(10);
    private static final ObjectMapper JSON = new ObjectMapper();
    private final String connectorId;
    private final FhirSourceSettings settings;
    private final BulkExportSettings bulk;
    private final Checkpoints checkpoints;
    private final FhirClient client;
    private final Timing timing;
    private final FhirPayloads payloads = new FhirPayloads(FhirContext.forR4Cached());
    private Instant nextCheck = Instant.MIN;

    BulkExport(String connectorId, FhirSourceSettings settings, BulkExportSettings bulk, Checkpoints checkpoints,
            FhirClient client, Timing timing) {
        this.connectorId = connectorId;
        this.settings = settings;
        this.bulk = bulk;
        this.checkpoints = checkpoints;
        this.client = client;
        this.timing = timing;
    }

    /**
     * One step of the first load. Returns true once it is over (journalled, skipped or unsupported), so that
     * incremental polling may run; false while the export is still under way.
     */
    boolean run(FhirPoller.Sink sink) throws FhirCallException {
        if (checkpoints.get(DONE).isPresent()) {
            return true;
        }
        Optional<String> job = checkpoints.get(JOB).filter(j -> !j.isEmpty());
        if (job.isEmpty() && settings.resources().stream().anyMatch(t -> checkpoints.get(Watermarks.name(t))
                .isPresent())) {
            checkpoints.put(DONE, "skipped: incremental polling had already started");
            return true;
        }
        Instant now = timing.clock().instant();
        if (now.isBefore(nextCheck)) {
            return false;
        }
        if (job.isEmpty()) {
            return kickOff(now);
        }
        return checkStatus(URI.create(job.get()), now, sink);
    }

    private boolean kickOff(Instant now) throws FhirCallException {
        // A relative Content-Location is resolved against the kick-off URL.
        URI uri = URI.create(settings.baseUrl() + bulk.kickOffPath());
        FhirHttp.Answer<byte[]> answer;
        try {
            answer = client.kickOffExport(bulk, settings.resources());
        } catch (FhirCallException e) {
            if (e.kind() != FhirErrorKind.REQUEST_REJECTED) {
                throw e;
            }
            return unsupported(e.getMessage());
        }
        Optional<String> location = answer.header("Content-Location");
        if (answer.status() != 202 || location.isEmpty()) {
            return unsupported("HTTP " + answer.status() + (location.isEmpty() ? " without Content-Location" : ""));
        }
        URI status;
        try {
            status = sameServer(resolve(uri, location.get()), "the status URL");
        } catch (FhirCallException e) {
            return unsupported(e.getMessage());
        }
        if (status.toString().length() > MAX_CHECKPOINT) {
            return unsupported("its status URL is longer than the " + MAX_CHECKPOINT
                    + " characters a checkpoint holds");
        }
        checkpoints.put(JOB, status.toString());
        nextCheck = now.plus(wait(answer));
        LOG.info("connector {}: bulk export started ({} level, types {}); first status check in {}s", connectorId,
                bulk.level(), settings.resources(), wait(answer).toSeconds());
        return false;
    }

    private boolean unsupported(String why) {
        LOG.warn("TB-CONN-FHIR-030 connector {}: the bulk export cannot be used ({}); loading by incremental "
                + "search from the beginning instead", connectorId, why);
        String done = "unsupported: " + why;
        checkpoints.put(DONE, done.length() > MAX_CHECKPOINT ? done.substring(0, MAX_CHECKPOINT) : done);
        return true;
    }

    private boolean checkStatus(URI status, Instant now, FhirPoller.Sink sink) throws FhirCallException {
        FhirHttp.Answer<byte[]> answer;
        try {
            answer = client.get("bulk export status", status.toString(), "application/json");
        } catch (FhirCallException e) {
            if (e.kind() == FhirErrorKind.REQUEST_REJECTED) {
                checkpoints.put(JOB, ""); // the job failed or expired on the server: the next poll starts another
                LOG.warn("TB-CONN-FHIR-031 connector {}: the bulk export job failed on the server ({}); a new one "
                        + "starts at the next poll", connectorId, e.getMessage());
            }
            throw e;
        }
        if (answer.status() == 202) {
            Duration wait = wait(answer);
            nextCheck = now.plus(wait);
            LOG.info("connector {}: bulk export in progress ({}); next status check in {}s", connectorId,
                    answer.header("X-Progress").map(BulkExport::printable).orElse("no progress reported"),
                    wait.toSeconds());
            return false;
        }
        Manifest manifest = Manifest.read(answer.body());
        try {
            journalOutputs(manifest, status, sink);
        } catch (FhirCallException e) {
            if (e.kind() != FhirErrorKind.REQUEST_REJECTED) {
                throw e;
            }
            // An output that is gone or may not be fetched: what was journalled stays, the rest comes by search.
            checkpoints.put(JOB, "");
            return unsupported(e.getMessage());
        }
        for (String type : settings.resources()) {
            checkpoints.put(Watermarks.name(type), manifest.transactionTime().toString());
        }
        checkpoints.put(DONE, manifest.transactionTime().toString());
        checkpoints.put(JOB, "");
        deleteJob(status);
        return true;
    }

    private void journalOutputs(Manifest manifest, URI status, FhirPoller.Sink sink) throws FhirCallException {
        if (!manifest.errorFiles().isEmpty()) {
            LOG.warn("TB-CONN-FHIR-032 connector {}: the bulk export reports {} error file(s) of OperationOutcomes; "
                    + "resources it could not export will arrive through incremental polling only if they change",
                    connectorId, manifest.errorFiles().size());
        }
        int number = 0;
        int total = 0;
        for (Manifest.Output output : manifest.outputs()) {
            number++;
            if (!settings.resources().contains(output.type())) {
                LOG.info("connector {}: bulk export file {} of {} holds {}, which is not configured; skipped",
                        connectorId, number, manifest.outputs().size(), output.type());
                continue;
            }
            int journalled = journalFile(output, status, sink);
            total += journalled;
            LOG.info("connector {}: bulk export file {} of {} journalled: {} {} resources", connectorId, number,
                    manifest.outputs().size(), journalled, output.type());
        }
        LOG.info("connector {}: bulk export complete, {} resources journalled; polling incrementally from {}",
                connectorId, total, manifest.transactionTime());
    }

    private int journalFile(Manifest.Output output, URI status, FhirPoller.Sink sink) throws FhirCallException {
        URI url = resolve(status, output.url());
        if (output.requiresAccessToken()) {
            sameServer(url, "an output file that needs the access token");
        }
        Path file;
        try {
            file = Files.createTempFile("twinbridge-bulk-", ".ndjson");
        } catch (IOException e) {
            throw new FhirCallException(FhirErrorKind.JOURNAL, "no temporary file for a bulk export download", e);
        }
        try {
            client.download("bulk export download", url.toString(), "application/fhir+ndjson",
                    !output.requiresAccessToken(), file);
            return journalLines(file, output.type(), sink);
        } finally {
            try {
                Files.deleteIfExists(file);
            } catch (IOException e) {
                LOG.warn("connector {}: a temporary bulk export file could not be deleted", connectorId);
            }
        }
    }

    private int journalLines(Path file, String type, FhirPoller.Sink sink) throws FhirCallException {
        int journalled = 0;
        List<CanonicalRecord> page = new ArrayList<>();
        try (BufferedReader lines = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            int number = 0;
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                number++;
                if (line.isBlank()) {
                    continue;
                }
                byte[] bytes = line.getBytes(StandardCharsets.UTF_8);
                try {
                    JsonNode tree = payloads.readTree(bytes, number);
                    String lineType = tree.path("resourceType").asText("");
                    if (!lineType.equals(type)) {
                        sink.deadLetter(new DeadLetter(connectorId, SearchPageReader.WRONG_TYPE, "line " + number
                                + " of a " + type + " export file is not a " + type, bytes), type);
                        continue;
                    }
                    page.addAll(payloads.parseTree(tree).records(connectorId));
                } catch (PayloadException e) {
                    sink.deadLetter(new DeadLetter(connectorId, e.code(), "a " + type + " export file: "
                            + e.reason(), bytes), type);
                }
                if (page.size() >= settings.pageSize()) {
                    sink.journal(page, type);
                    journalled += page.size();
                    page = new ArrayList<>();
                }
            }
        } catch (IOException e) {
            throw new FhirCallException(FhirErrorKind.CONNECTION_FAILED, "a downloaded export file could not be read",
                    e);
        }
        if (!page.isEmpty()) {
            sink.journal(page, type);
            journalled += page.size();
        }
        return journalled;
    }

    // The server may now delete the files; failing that is harmless, as they expire on their own.
    private void deleteJob(URI status) {
        try {
            client.delete("bulk export clean-up", status);
        } catch (FhirCallException e) {
            LOG.debug("connector {}: the finished bulk export job was not deleted ({})", connectorId, e.getMessage());
        }
    }

    private Duration wait(FhirHttp.Answer<?> answer) {
        Duration wait = RetryAfter.parse(answer.header("Retry-After").orElse(null), timing.clock().instant())
                .orElse(bulk.statusInterval());
        return wait.compareTo(LONGEST_WAIT) > 0 ? LONGEST_WAIT : wait;
    }

    private URI sameServer(URI uri, String what) throws FhirCallException {
        URI base = URI.create(settings.baseUrl());
        if (!base.getScheme().equalsIgnoreCase(String.valueOf(uri.getScheme()))
                || !base.getHost().equalsIgnoreCase(String.valueOf(uri.getHost())) || base.getPort() != uri.getPort()) {
            throw new FhirCallException(FhirErrorKind.REQUEST_REJECTED, what + " of the bulk export is on another "
                    + "server; credentials are not sent there");
        }
        return uri;
    }

    private static URI resolve(URI against, String link) throws FhirCallException {
        try {
            return against.resolve(link);
        } catch (IllegalArgumentException e) {
            throw new FhirCallException(FhirErrorKind.MALFORMED_BODY, "the bulk export named a URL that is not one");
        }
    }

    // X-Progress is free text meant for people; only a short, plain excerpt is logged.
    private static String printable(String progress) {
        String plain = progress.replaceAll("[^A-Za-z0-9 %.,:/()\\-]", "");
        return "X-Progress: " + (plain.length() > 64 ? plain.substring(0, 64) : plain);
    }

    /** The complete-status body: when the export was taken, and its files. */
    record Manifest(Instant transactionTime, List<Output> outputs, List<String> errorFiles) {

        /** One NDJSON output file. */
        record Output(String type, String url, boolean requiresAccessToken) {
        }

        static Manifest read(byte[] body) throws FhirCallException {
            JsonNode json;
            try {
                json = JSON.readTree(body);
            } catch (IOException e) {
                throw new FhirCallException(FhirErrorKind.MALFORMED_BODY, "the bulk export manifest is not JSON");
            }
            if (json == null || !json.path("transactionTime").isTextual() || !json.path("output").isArray()) {
                throw new FhirCallException(FhirErrorKind.MALFORMED_BODY, "the bulk export manifest lacks "
                        + "transactionTime or output");
            }
            Instant transactionTime;
            try {
                transactionTime = OffsetDateTime.parse(json.path("transactionTime").asText()).toInstant();
            } catch (DateTimeParseException e) {
                throw new FhirCallException(FhirErrorKind.MALFORMED_BODY, "the bulk export manifest's "
                        + "transactionTime is not an instant");
            }
            boolean requiresToken = json.path("requiresAccessToken").asBoolean(false);
            List<Output> outputs = new ArrayList<>();
            for (JsonNode output : json.path("output")) {
                if (!output.path("type").isTextual() || !output.path("url").isTextual()) {
                    throw new FhirCallException(FhirErrorKind.MALFORMED_BODY, "a bulk export output lacks type or "
                            + "url");
                }
                outputs.add(new Output(output.path("type").asText(), output.path("url").asText(), requiresToken));
            }
            List<String> errors = new ArrayList<>();
            json.path("error").forEach(e -> errors.add(e.path("url").asText("")));
            return new Manifest(transactionTime, List.copyOf(outputs), List.copyOf(errors));
        }
    }
}
