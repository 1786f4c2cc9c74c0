/** Implementation of the kube module; not part of the API. */
package io.glidepath.kube.internal;
