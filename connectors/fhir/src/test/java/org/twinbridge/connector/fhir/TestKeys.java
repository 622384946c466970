package org.twinbridge.connector.fhir;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Real PKCS#12 keystores for the SMART tests, made by the JDK's keytool as an operator would make them. */
final class TestKeys {

    static final String ALIAS = "smart";

    private TestKeys() {
    }

    /** A keystore at {@code file} with one key pair under {@link #ALIAS}, e.g. {@code "-keyalg", "RSA"}. */
    static Path keytool(Path file, String password, String... keyArgs) throws Exception {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "keytool").toString(), "-genkeypair",
                "-alias", ALIAS, "-dname", "CN=twinbridge-test", "-validity", "2", "-storetype", "PKCS12",
                "-keystore", file.toString(), "-storepass", password, "-keypass", password));
        command.addAll(List.of(keyArgs));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(output).isZero();
        return file;
    }
}
