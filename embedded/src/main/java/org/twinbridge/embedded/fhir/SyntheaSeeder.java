package org.twinbridge.embedded.fhir;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.context.FhirVersionEnum;
import ca.uhn.fhir.parser.DataFormatException;
import ca.uhn.fhir.util.FhirTerser;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Bundle.BundleEntryComponent;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;

/**
 * Loads Synthea FHIR R4 transaction Bundles (JSON) into an {@link InMemoryFhirStore}.
 *
 * <p>Synthea names each entry {@code fullUrl: urn:uuid:X} and refers to it as {@code urn:uuid:X}. The seeder
 * stores the entry as {@code Type/X} and rewrites every such reference in the Bundle to {@code Type/X}, so
 * stored resources refer to each other the way a FHIR server's do. Entries of a type the store does not
 * hold (Claim, ExplanationOfBenefit, ImagingStudy...) are skipped and counted. Loading is not atomic: a
 * failure part-way leaves the resources stored so far.
 *
 * <p>Thread-safe.
 */
public final class SyntheaSeeder {

    /** The file, next to the bundles in a class-path directory, that lists their names one per line. */
    public static final String INDEX_FILE = "index.txt";

    private static final String URN_UUID = "urn:uuid:";
    private final FhirContext fhirContext;
    private final InMemoryFhirStore store;

    /** A seeder that parses with an R4 context and saves into the store. */
    public SyntheaSeeder(FhirContext fhirContext, InMemoryFhirStore store) {
        this.fhirContext = Objects.requireNonNull(fhirContext, "fhirContext");
        this.store = Objects.requireNonNull(store, "store");
        if (fhirContext.getVersion().getVersion() != FhirVersionEnum.R4) {
            throw new IllegalArgumentException("TB-EMBED-FHIR-030 the seeder needs an R4 FhirContext, got "
                    + fhirContext.getVersion().getVersion() + "; use FhirContext.forR4Cached()");
        }
    }

    /**
     * Loads one Bundle file, or every {@code *.json} file directly inside a directory in name order.
     *
     * @throws IOException              if a file cannot be read
     * @throws IllegalArgumentException if a file is not a FHIR R4 Bundle in JSON
     */
    public SeedSummary load(Path fileOrDirectory) throws IOException {
        if (!Files.isDirectory(fileOrDirectory)) {
            try (Reader reader = Files.newBufferedReader(fileOrDirectory, StandardCharsets.UTF_8)) {
                return load(parse(reader, fileOrDirectory.toString()));
            }
        }
        List<Path> files;
        try (Stream<Path> listing = Files.list(fileOrDirectory)) {
            files = listing.filter(p -> p.getFileName().toString().endsWith(".json") && Files.isRegularFile(p))
                    .sorted().collect(Collectors.toList());
        }
        SeedSummary summary = SeedSummary.empty();
        for (Path file : files) {
            summary = summary.plus(load(file));
        }
        return summary;
    }

    /**
     * Loads the Bundles that a class-path directory's {@value #INDEX_FILE} names, in its order, with this
     * class's class loader. The index has one file name per line; blank lines and lines starting with
     * {@code #} are ignored. Works inside a jar, where directories cannot be listed.
     *
     * @param directory a class-path directory such as {@code demo/synthea}
     * @throws IOException              if the index or a listed file is missing or unreadable
     * @throws IllegalArgumentException if a listed file is not a FHIR R4 Bundle in JSON
     */
    public SeedSummary loadClasspath(String directory) throws IOException {
        String dir = directory.replaceAll("^/+|/+$", "");
        ClassLoader loader = SyntheaSeeder.class.getClassLoader();
        SeedSummary summary = SeedSummary.empty();
        for (String name : readIndex(loader, dir)) {
            String resource = dir + "/" + name;
            try (InputStream in = loader.getResourceAsStream(resource)) {
                if (in == null) {
                    throw new IOException("TB-EMBED-FHIR-032 class-path resource " + resource + " is listed in "
                            + dir + "/" + INDEX_FILE + " but missing; fix the name or remove the line");
                }
                summary = summary.plus(load(parse(new InputStreamReader(in, StandardCharsets.UTF_8), resource)));
            }
        }
        return summary;
    }

    /** Loads a parsed Bundle. The Bundle itself is not modified. */
    public SeedSummary load(Bundle bundle) {
        Map<String, String> localIds = new HashMap<>();
        List<Resource> resources = new ArrayList<>();
        for (BundleEntryComponent entry : bundle.getEntry()) {
            if (entry.hasResource()) {
                Resource resource = entry.getResource().copy();
                String id = localIdOf(entry);
                resource.setId(new IdType(resource.fhirType(), id));
                if (entry.getFullUrl() != null && entry.getFullUrl().startsWith(URN_UUID)) {
                    localIds.put(entry.getFullUrl(), resource.fhirType() + "/" + id);
                }
                resources.add(resource);
            }
        }
        FhirTerser terser = fhirContext.newTerser();
        Map<String, Integer> loaded = new TreeMap<>();
        Map<String, Integer> skipped = new TreeMap<>();
        int unresolved = 0;
        int patients = 0;
        for (Resource resource : resources) {
            String type = resource.fhirType();
            if (!store.supports(resource.getClass())) {
                skipped.merge(type, 1, Integer::sum);
                continue;
            }
            unresolved += rewriteReferences(terser, resource, localIds);
            store.save(resource);
            loaded.merge(type, 1, Integer::sum);
            patients += "Patient".equals(type) ? 1 : 0;
        }
        return new SeedSummary(1, patients, loaded, skipped, unresolved);
    }

    private static int rewriteReferences(FhirTerser terser, Resource resource, Map<String, String> localIds) {
        int unresolved = 0;
        for (Reference reference : terser.getAllPopulatedChildElementsOfType(resource, Reference.class)) {
            // The parser links references to the entries they name; drop that object graph, keep the text.
            reference.setResource(null);
            String target = reference.getReference();
            if (target != null && target.startsWith(URN_UUID)) {
                String local = localIds.get(target);
                if (local == null) {
                    unresolved++;
                } else {
                    reference.setReference(local);
                }
            }
        }
        return unresolved;
    }

    // The parser may already have replaced the resource id with the fullUrl, so prefer the fullUrl's UUID.
    private static String localIdOf(BundleEntryComponent entry) {
        String fullUrl = entry.getFullUrl();
        if (fullUrl != null && fullUrl.startsWith(URN_UUID)) {
            return fullUrl.substring(URN_UUID.length());
        }
        IdType id = entry.getResource().getIdElement();
        return id.hasIdPart() && !id.getIdPart().contains(":") ? id.getIdPart() : UUID.randomUUID().toString();
    }

    private Bundle parse(Reader reader, String source) {
        try {
            return fhirContext.newJsonParser().parseResource(Bundle.class, reader);
        } catch (DataFormatException e) {
            throw new IllegalArgumentException("TB-EMBED-FHIR-031 " + source + " is not a FHIR R4 Bundle in"
                    + " JSON (see the cause for where parsing stopped); expected a Synthea transaction Bundle", e);
        }
    }

    private static List<String> readIndex(ClassLoader loader, String dir) throws IOException {
        String index = dir + "/" + INDEX_FILE;
        try (InputStream in = loader.getResourceAsStream(index)) {
            if (in == null) {
                throw new IOException("TB-EMBED-FHIR-032 class-path resource " + index + " not found; put an "
                        + INDEX_FILE + " listing the bundle file names, one per line, next to the bundles");
            }
            try (BufferedReader lines = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                return lines.lines().map(String::strip).filter(l -> !l.isEmpty() && !l.startsWith("#"))
                        .collect(Collectors.toList());
            }
        }
    }
}
