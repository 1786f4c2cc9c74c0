/**
 * The GitOps loop: {@link io.glidepath.kube.controller.ApplicationController} reconciles one
 * application from a {@link io.glidepath.kube.controller.DesiredStateSource}.
 */
package io.glidepath.kube.controller;
