/**
 * An in-process MQTT broker for the demo and for tests: {@link org.twinbridge.embedded.mqtt.EmbeddedMqttBroker}
 * runs Moquette (MQTT 3.1.1) on 127.0.0.1 with sessions kept in memory.
 *
 * <p>A stand-in for a ward's device gateway broker, not a broker for production: no persistence across restarts,
 * anonymous clients, no TLS, loopback only.
 */
package org.twinbridge.embedded.mqtt;
