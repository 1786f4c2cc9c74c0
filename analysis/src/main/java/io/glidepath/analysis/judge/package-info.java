/**
 * Statistical canary judgement: {@link io.glidepath.analysis.judge.MannWhitney} (U test and
 * Hodges-Lehmann), {@link io.glidepath.analysis.judge.CanaryJudge} (Kayenta-style scoring) and
 * {@link io.glidepath.analysis.judge.CanaryJudgeProvider} (the judge as a metric provider).
 */
package io.glidepath.analysis.judge;
