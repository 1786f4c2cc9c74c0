/**
 * The {@link io.glidepath.rollout.traffic.TrafficRouter} SPI and its implementations: Istio
 * VirtualService, Gateway API HTTPRoute, NGINX canary Ingress, SMI TrafficSplit and replica ratio;
 * {@link io.glidepath.rollout.traffic.RecordingTrafficRouter} for tests. Every router verifies its
 * writes by reading them back.
 */
package io.glidepath.rollout.traffic;
