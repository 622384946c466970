package org.twinbridge.tools;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

/**
 * The module rules of the README and DESIGN.md, read from the reactor's own pom files, so that a forbidden edge fails
 * the build the moment it is added rather than when someone next reads the architecture.
 */
class ModuleRulesTest {

    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

    /** What a production node runs: none of these may carry a tool, a harness, an embedded server or a plugin. */
    private static final Set<String> PRODUCTION = Set.of("twinbridge-sdk", "twinbridge-policies", "twinbridge-consent",
            "twinbridge-connector-fhir", "twinbridge-connector-hl7v2", "twinbridge-connector-mqtt",
            "twinbridge-connector-file", "twinbridge-connector-support", "twinbridge-runtime",
            "twinbridge-federation");

    private static final Set<String> NEVER_IN_PRODUCTION = Set.of("twinbridge-tools", "twinbridge-embedded",
            "twinbridge-sdk-testing", "twinbridge-testkit", "twinbridge-benchmarks");

    private static final Set<String> MAY_USE_RUNTIME = Set.of("twinbridge-tools", "twinbridge-benchmarks");

    @Test
    void theSdk_dependsOnNothingOfOurs() {
        assertThat(nonTestEdges(module("twinbridge-sdk"))).isEmpty();
    }

    @Test
    void plugins_dependOnTheSdkAlone() {
        List<PomModule> plugins = modules().values().stream().filter(m -> m.artifactId().startsWith("twinbridge-plugin-"))
                .toList();
        assertThat(plugins).isNotEmpty();
        for (PomModule plugin : plugins) {
            assertThat(nonTestEdges(plugin)).as(plugin.artifactId()).allMatch(e -> e.artifactId().equals("twinbridge-sdk"));
        }
    }

    @Test
    void productionModules_carryNoToolHarnessEmbeddedServerOrPlugin() {
        for (String name : PRODUCTION) {
            assertThat(nonTestEdges(module(name))).as(name)
                    .noneMatch(e -> NEVER_IN_PRODUCTION.contains(e.artifactId()))
                    .noneMatch(e -> e.artifactId().startsWith("twinbridge-plugin-"));
        }
    }

    @Test
    void nothingDependsOnTheExecutable_andOnlyToolsAndBenchmarksOnTheNode() {
        for (PomModule module : modules().values()) {
            assertThat(module.edges()).as(module.artifactId()).noneMatch(e -> e.artifactId().equals("twinbridge-tools"));
            if (!MAY_USE_RUNTIME.contains(module.artifactId())) {
                assertThat(nonTestEdges(module)).as(module.artifactId())
                        .noneMatch(e -> e.artifactId().equals("twinbridge-runtime"));
            }
        }
    }

    @Test
    void noModuleReadsAnotherModulesFolderByRelativePath() {
        for (PomModule module : modules().values()) {
            assertThat(module.text()).as(module.artifactId() + " copies from another folder by relative path; declare a "
                    + "dependency instead").doesNotContainPattern("<directory>[^<]*\\.\\./");
        }
    }

    @Test
    void everyModuleOfTheReactor_isChecked() {
        assertThat(modules()).containsKeys("twinbridge-sdk", "twinbridge-runtime", "twinbridge-tools",
                "twinbridge-plugin-news2");
    }

    private static List<Edge> nonTestEdges(PomModule module) {
        return module.edges().stream().filter(e -> !e.scope().equals("test")).toList();
    }

    private static PomModule module(String artifactId) {
        PomModule module = modules().get(artifactId);
        assertThat(module).as(artifactId).isNotNull();
        return module;
    }

    record Edge(String artifactId, String scope) {
    }

    record PomModule(String artifactId, List<Edge> edges, String text) {
    }

    private static Map<String, PomModule> modules() {
        Map<String, PomModule> modules = new TreeMap<>();
        collect(ROOT, modules);
        return modules;
    }

    private static void collect(Path dir, Map<String, PomModule> into) {
        Document pom = parse(dir.resolve("pom.xml"));
        Element project = pom.getDocumentElement();
        String artifactId = childText(project, "artifactId");
        List<Edge> edges = new ArrayList<>();
        Element dependencies = child(project, "dependencies");
        if (dependencies != null) {
            for (Element dependency : children(dependencies, "dependency")) {
                if ("org.twinbridge".equals(childText(dependency, "groupId"))) {
                    String scope = childText(dependency, "scope");
                    edges.add(new Edge(childText(dependency, "artifactId"), scope == null ? "compile" : scope));
                }
            }
        }
        into.put(artifactId, new PomModule(artifactId, List.copyOf(edges), read(dir.resolve("pom.xml"))));
        Element moduleList = child(project, "modules");
        if (moduleList != null) {
            children(moduleList, "module").forEach(m -> collect(dir.resolve(m.getTextContent().trim()), into));
        }
    }

    private static Document parse(Path pom) {
        try {
            return DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(pom.toFile());
        } catch (Exception e) {
            throw new AssertionError("cannot read " + pom, e);
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new AssertionError("cannot read " + file, e);
        }
    }

    private static Element child(Element parent, String name) {
        return children(parent, name).stream().findFirst().orElse(null);
    }

    private static String childText(Element parent, String name) {
        Element child = child(parent, name);
        return child == null ? null : child.getTextContent().trim();
    }

    private static List<Element> children(Element parent, String name) {
        NodeList nodes = parent.getChildNodes();
        return Stream.iterate(0, i -> i < nodes.getLength(), i -> i + 1).map(nodes::item)
                .filter(n -> n.getNodeType() == Node.ELEMENT_NODE && n.getNodeName().equals(name))
                .map(Element.class::cast).toList();
    }
}
