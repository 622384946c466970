/**
 * The implanted cardiac device twin: ERI forecast and lead alerts from pacemaker remote monitoring. See
 * {@link org.twinbridge.plugin.implant.ImplantTwin}.
 */
package org.twinbridge.plugin.implant;
