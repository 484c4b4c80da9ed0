package io.loopbridge.reactor;

import static org.assertj.core.api.Assertions.assertThat;

import io.loopbridge.testing.apidocs.PublicApiDocs;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** Every public or protected element of bridge-reactor's API has a doc comment (see CONTRIBUTING.md). */
class PublicApiDocumentedTest {

    @Test
    void everyPublicElementOutsideInternalPackagesHasADocComment() throws Exception {
        assertThat(PublicApiDocs.undocumented(Path.of("src/main/java")))
                .as("public API without a doc comment (document it, or move it to an .internal package)")
                .isEmpty();
    }
}
