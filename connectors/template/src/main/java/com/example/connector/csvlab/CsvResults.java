package com.example.connector.csvlab;

import java.math.BigDecimal;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Quantity;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.StringType;
import org.twinbridge.sdk.model.CanonicalRecord;

/**
 * Maps one lab CSV file to Observations: pure code, no Camel, no I/O, so it is unit-tested on its own.
 *
 * <p>The file is UTF-8, comma-separated, with a header row; a field may be quoted with {@code "} (a quote inside is
 * doubled). Columns, in any order:
 * <ul>
 *   <li>required: {@code patient_id} (the patient's number in {@code patient-system}), {@code loinc} (the test's
 *       LOINC code), {@code value} (a decimal becomes {@code valueQuantity}, anything else such as {@code <0.5} or
 *       {@code positive} becomes {@code valueString}), {@code unit} (UCUM; may be empty for a text value),
 *       {@code effective} (ISO 8601 date or date-time, when the specimen was taken);</li>
 *   <li>optional: {@code result_id} (the lab's id of the result: it becomes the record's source id, so a corrected
 *       result replaces nothing and a re-sent one is journalled once), {@code display}, {@code status}
 *       ({@code final} by default, or {@code preliminary}, {@code corrected}, {@code amended}).</li>
 * </ul>
 * Any other column is not dropped silently: its name goes in each record's {@code unmapped} list.
 *
 * <p>Errors name the row and the column, never a value: a file's values are patient data.
 */
final class CsvResults {

    static final List<String> REQUIRED = List.of("patient_id", "loinc", "value", "unit", "effective");
    static final List<String> OPTIONAL = List.of("result_id", "display", "status");
    private static final Pattern LOINC = Pattern.compile("\\d{1,7}-\\d");
    private static final Pattern DECIMAL = Pattern.compile("-?\\d{1,12}(\\.\\d{1,9})?");
    private static final Pattern RESULT_ID = Pattern.compile("[A-Za-z0-9.-]{1,64}");
    private static final Set<String> STATUSES = Set.of("final", "preliminary", "corrected", "amended");

    private CsvResults() {
    }

    /** Why a file cannot be mapped, with a stable code, and a reason that holds no value from the file. */
    static final class CsvException extends Exception {
        private static final long serialVersionUID = 1L;
        private final String code;

        CsvException(String code, String reason) {
            super(reason, null, false, false);
            this.code = code;
        }

        String code() {
            return code;
        }
    }

    /** Every row of the file as one record, in file order. */
    static List<CanonicalRecord> map(String connectorId, String patientSystem, byte[] content) throws CsvException {
        List<List<String>> rows = parse(decode(content));
        if (rows.isEmpty()) {
            throw new CsvException("TB-CSVLAB-002", "the file has no header row");
        }
        List<String> header = rows.get(0).stream().map(h -> h.trim().toLowerCase(Locale.ROOT)).toList();
        for (String column : REQUIRED) {
            if (!header.contains(column)) {
                throw new CsvException("TB-CSVLAB-002", "the header has no '" + column + "' column; required: "
                        + String.join(", ", REQUIRED));
            }
        }
        List<String> unmapped = header.stream().filter(h -> !REQUIRED.contains(h) && !OPTIONAL.contains(h))
                .map(h -> "csv:" + (h.matches("[a-z0-9_ -]{1,40}") ? h : "column")).distinct().toList();
        List<CanonicalRecord> records = new ArrayList<>();
        for (int i = 1; i < rows.size(); i++) {
            List<String> fields = rows.get(i);
            if (fields.size() == 1 && fields.get(0).isBlank()) {
                continue; // a blank line, e.g. at the end of the file
            }
            int line = i + 1;
            if (fields.size() != header.size()) {
                throw new CsvException("TB-CSVLAB-003", "row " + line + " has " + fields.size() + " fields; the "
                        + "header has " + header.size());
            }
            Map<String, String> row = new LinkedHashMap<>();
            for (int c = 0; c < header.size(); c++) {
                row.put(header.get(c), fields.get(c).trim());
            }
            records.add(new CanonicalRecord(connectorId, sourceId(row), observation(row, patientSystem, line),
                    unmapped));
        }
        if (records.isEmpty()) {
            throw new CsvException("TB-CSVLAB-002", "the file has a header but no rows");
        }
        return records;
    }

    private static Observation observation(Map<String, String> row, String patientSystem, int line)
            throws CsvException {
        Observation obs = new Observation();
        String status = row.getOrDefault("status", "");
        status = status.isEmpty() ? "final" : status.toLowerCase(Locale.ROOT);
        if (!STATUSES.contains(status)) {
            throw rowError(line, "status", "final, preliminary, corrected or amended");
        }
        obs.setStatus(Observation.ObservationStatus.fromCode(status));
        obs.addCategory().addCoding().setSystem("http://terminology.hl7.org/CodeSystem/observation-category")
                .setCode("laboratory");
        String loinc = row.get("loinc");
        if (!LOINC.matcher(loinc).matches()) {
            throw rowError(line, "loinc", "a LOINC code such as 2345-7");
        }
        String display = row.getOrDefault("display", "");
        obs.getCode().addCoding().setSystem("http://loinc.org").setCode(loinc)
                .setDisplay(display.isEmpty() ? null : display);
        String patient = row.get("patient_id");
        if (patient.isEmpty() || patient.length() > 64) {
            throw rowError(line, "patient_id", "the patient's number, 1 to 64 characters");
        }
        obs.setSubject(new Reference().setIdentifier(new Identifier().setSystem(patientSystem).setValue(patient)));
        try {
            DateTimeType effective = new DateTimeType(row.get("effective"));
            obs.setEffective(effective);
        } catch (RuntimeException e) {
            throw rowError(line, "effective", "an ISO 8601 date or date-time such as 2026-12-01T08:15:00Z");
        }
        String value = row.get("value");
        String unit = row.get("unit");
        if (value.isEmpty()) {
            throw rowError(line, "value", "a number or a text result");
        }
        if (DECIMAL.matcher(value).matches()) {
            if (unit.isEmpty()) {
                throw rowError(line, "unit", "a UCUM unit such as mmol/L for a numeric value");
            }
            obs.setValue(new Quantity().setValue(new BigDecimal(value)).setSystem("http://unitsofmeasure.org")
                    .setCode(unit).setUnit(unit));
        } else {
            obs.setValue(new StringType(value));
        }
        String resultId = row.getOrDefault("result_id", "");
        if (!resultId.isEmpty() && !RESULT_ID.matcher(resultId).matches()) {
            throw rowError(line, "result_id", "1 to 64 letters, digits, dots and dashes");
        }
        return obs;
    }

    /** The lab's result id when there is one, else a hash of the row, so the same row is journalled once. */
    private static String sourceId(Map<String, String> row) {
        String resultId = row.getOrDefault("result_id", "");
        if (!resultId.isEmpty()) {
            return "Observation/" + resultId;
        }
        StringBuilder canonical = new StringBuilder();
        row.forEach((k, v) -> canonical.append(k).append('=').append(v).append('\u001f'));
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(canonical.toString()
                    .getBytes(StandardCharsets.UTF_8));
            return "Observation/sha256:" + HexFormat.of().formatHex(hash);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every Java platform", e);
        }
    }

    private static CsvException rowError(int line, String column, String expected) {
        return new CsvException("TB-CSVLAB-003", "row " + line + ", column '" + column + "': expected " + expected);
    }

    private static String decode(byte[] content) throws CsvException {
        try {
            String text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(content)).toString();
            return text.startsWith("\uFEFF") ? text.substring(1) : text;
        } catch (CharacterCodingException e) {
            throw new CsvException("TB-CSVLAB-002", "the file is not UTF-8 text");
        }
    }

    /** RFC 4180 records: fields separated by commas, optionally quoted; CRLF or LF line ends. */
    static List<List<String>> parse(String text) throws CsvException {
        List<List<String>> rows = new ArrayList<>();
        List<String> fields = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        boolean quoted = false;
        int line = 1;
        for (int i = 0; i < text.length(); i++) {
            char ch = text.charAt(i);
            if (quoted) {
                if (ch == '"' && i + 1 < text.length() && text.charAt(i + 1) == '"') {
                    field.append('"');
                    i++;
                } else if (ch == '"') {
                    quoted = false;
                } else {
                    field.append(ch);
                }
            } else if (ch == '"' && field.length() == 0) {
                quoted = true;
            } else if (ch == ',') {
                fields.add(field.toString());
                field.setLength(0);
            } else if (ch == '\n' || ch == '\r') {
                if (ch == '\r' && i + 1 < text.length() && text.charAt(i + 1) == '\n') {
                    i++;
                }
                fields.add(field.toString());
                field.setLength(0);
                rows.add(fields);
                fields = new ArrayList<>();
                line++;
            } else {
                field.append(ch);
            }
        }
        if (quoted) {
            throw new CsvException("TB-CSVLAB-003", "row " + line + " has a quote that is never closed");
        }
        if (field.length() > 0 || !fields.isEmpty()) {
            fields.add(field.toString());
            rows.add(fields);
        }
        return rows;
    }
}
