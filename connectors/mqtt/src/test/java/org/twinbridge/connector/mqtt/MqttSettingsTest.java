package org.twinbridge.connector.mqtt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import org.twinbridge.sdk.connector.ConnectorConfigException;
import org.twinbridge.sdk.connector.ConnectorSettings;

class MqttSettingsTest {

    private static MqttSettings settings(Map<String, Object> extra) throws ConnectorConfigException {
        Map<String, Object> values = new HashMap<>(Map.of("broker", "tcp://127.0.0.1:1883"));
        values.putAll(extra);
        return MqttSettings.from(new MqttHarness.Context("wards", new ConnectorSettings(values)));
    }

    @Test
    void maxBatch_defaultsToAThousand() throws Exception {
        assertThat(settings(Map.of()).maxBatch()).isEqualTo(MqttSettings.DEFAULT_MAX_BATCH).isEqualTo(1000);
    }

    @Test
    void maxBatch_takesAWholeNumberUpToTenThousand() throws Exception {
        assertThat(settings(Map.of("max-batch", "1")).maxBatch()).isEqualTo(1);
        assertThat(settings(Map.of("max-batch", "10000")).maxBatch()).isEqualTo(10_000);
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "-5", "10001", "lots", "1.5", ""})
    void maxBatch_outOfRangeOrNotANumber_isRefusedNamingTheKeyAndTheRange(String value) {
        assertThatThrownBy(() -> settings(Map.of("max-batch", value)))
                .isInstanceOf(ConnectorConfigException.class)
                .hasMessageContaining("'max-batch' must be a whole number of messages from 1 to 10000");
    }
}
