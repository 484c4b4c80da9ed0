package io.loopbridge;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

/**
 * The build's own rules, checked from the pom files: a published module (every jar module that does
 * not set {@code maven.deploy.skip}) is listed in bridge-bom, ships -sources and -javadoc jars and
 * has an API baseline under {@code api/}.
 */
class BuildConventionsTest {
    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

    @Test
    void everyPublishedModuleIsInTheBomWithTheProjectVersion() throws Exception {
        Document bom = parse(ROOT.resolve("bridge-bom/pom.xml"));
        List<String> managed = new ArrayList<>();
        for (Element dependency : descendants(bom.getDocumentElement(), "dependency")) {
            assertThat(text(dependency, "groupId")).isEqualTo("io.loopbridge");
            assertThat(text(dependency, "version")).isEqualTo("${project.version}");
            managed.add(text(dependency, "artifactId"));
        }
        assertThat(managed).containsExactlyInAnyOrderElementsOf(publishedModules());
    }

    @Test
    void theBomHasTheParentsVersionAndNoParent() throws Exception {
        Element bom = parse(ROOT.resolve("bridge-bom/pom.xml")).getDocumentElement();
        Element parent = parse(ROOT.resolve("pom.xml")).getDocumentElement();
        // an imported BOM brings its inherited dependencyManagement along: the parent's must not reach users
        assertThat(children(bom, "parent")).as("bridge-bom's <parent>").isEmpty();
        assertThat(text(bom, "version")).isEqualTo(text(parent, "version"));
    }

    @Test
    void everyPublishedModuleShipsSourcesJavadocAndAnApiBaseline() throws Exception {
        String baseline = text(
                child(parse(ROOT.resolve("pom.xml")).getDocumentElement(), "properties"), "loopbridge.api.baseline");
        for (String module : publishedModules()) {
            String pom = Files.readString(ROOT.resolve(module).resolve("pom.xml"));
            assertThat(pom)
                    .as(module + "/pom.xml")
                    .contains(
                            "<artifactId>maven-source-plugin</artifactId>",
                            "<artifactId>maven-javadoc-plugin</artifactId>",
                            "<artifactId>japicmp-maven-plugin</artifactId>");
            assertThat(ROOT.resolve("api").resolve(module + "-" + baseline + ".jar"))
                    .as("API baseline of " + module + " (run api/update-baseline)")
                    .exists();
        }
    }

    /** The jar modules of the root pom (profiles included) that do not set maven.deploy.skip. */
    private static List<String> publishedModules() throws Exception {
        List<String> published = new ArrayList<>();
        for (Element module : descendants(parse(ROOT.resolve("pom.xml")).getDocumentElement(), "module")) {
            String name = module.getTextContent().trim();
            Element pom = parse(ROOT.resolve(name).resolve("pom.xml")).getDocumentElement();
            boolean jar = children(pom, "packaging").isEmpty()
                    || text(pom, "packaging").equals("jar");
            List<Element> properties = children(pom, "properties");
            boolean skipped = !properties.isEmpty()
                    && !children(properties.get(0), "maven.deploy.skip").isEmpty()
                    && text(properties.get(0), "maven.deploy.skip").equals("true");
            if (jar && !skipped) {
                published.add(name);
            }
        }
        assertThat(published).as("published modules").contains("bridge-core");
        return published;
    }

    private static Document parse(Path pom) throws Exception {
        return DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(pom.toFile());
    }

    private static List<Element> children(Element parent, String name) {
        List<Element> found = new ArrayList<>();
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && e.getTagName().equals(name)) {
                found.add(e);
            }
        }
        return found;
    }

    private static Element child(Element parent, String name) {
        List<Element> found = children(parent, name);
        assertThat(found).as("<%s> in <%s>", name, parent.getTagName()).hasSize(1);
        return found.get(0);
    }

    private static String text(Element parent, String name) {
        return child(parent, name).getTextContent().trim();
    }

    private static List<Element> descendants(Element root, String name) {
        NodeList nodes = root.getElementsByTagName(name);
        List<Element> found = new ArrayList<>();
        for (int i = 0; i < nodes.getLength(); i++) {
            found.add((Element) nodes.item(i));
        }
        return found;
    }
}
