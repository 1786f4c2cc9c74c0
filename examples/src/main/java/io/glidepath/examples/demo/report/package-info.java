/**
 * The demo's HTML report: {@link io.glidepath.examples.demo.report.DemoRecorder} collects {@link
 * io.glidepath.examples.demo.report.DemoEvent}s from the SDK's listeners (RolloutListener,
 * ControllerListener) and results (GitWriteBack's), and {@link
 * io.glidepath.examples.demo.report.DemoReport} renders them as one self-contained page: a
 * timeline, SVG charts of each canary's measurements against its AnalysisTemplates' thresholds, and
 * the sync history. Values are non-null unless {@code Optional}.
 */
package io.glidepath.examples.demo.report;
