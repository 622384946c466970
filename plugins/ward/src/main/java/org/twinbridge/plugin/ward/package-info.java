/**
 * The ward operations twin: census, length of stay so far and a 24-hour bed-demand forecast per ward, from ADT
 * Encounters. See {@link org.twinbridge.plugin.ward.WardTwin}.
 */
package org.twinbridge.plugin.ward;
