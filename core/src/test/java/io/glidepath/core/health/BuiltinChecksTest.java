package io.glidepath.core.health;

import static org.assertj.core.api.Assertions.assertThat;

import io.glidepath.core.resource.Resource;
import io.glidepath.core.yaml.Yaml;
import org.junit.jupiter.api.Test;

/** Argo CD's answers, status and message, for the built-in kinds (cases written here). */
class BuiltinChecksTest {
  private static final HealthAssessor ASSESSOR = HealthAssessor.ofDefaults();

  private static Health health(String yaml) {
    Resource r = Yaml.readResources(yaml, "live.yaml").get(0);
    return ASSESSOR.assess(r).orElseThrow();
  }

  private static Health of(HealthStatus s, String m) {
    return Health.of(s, m);
  }

  @Test
  void deploymentMessagesAreArgoCds() {
    String head = "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web, generation: 2}\n";
    assertThat(health(head + "spec: {replicas: 3}\nstatus: {observedGeneration: 1}\n"))
        .isEqualTo(
            of(
                HealthStatus.PROGRESSING,
                "Waiting for rollout to finish: observed deployment generation less than desired generation"));
    assertThat(
            health(
                head
                    + "spec: {replicas: 3}\nstatus: {observedGeneration: 2, updatedReplicas: 1}\n"))
        .isEqualTo(
            of(
                HealthStatus.PROGRESSING,
                "Waiting for rollout to finish: 1 out of 3 new replicas have been updated..."));
    assertThat(
            health(
                head
                    + "spec: {replicas: 3}\nstatus: {observedGeneration: 2, replicas: 3, updatedReplicas: 3, availableReplicas: 2}\n"))
        .isEqualTo(
            of(
                HealthStatus.PROGRESSING,
                "Waiting for rollout to finish: 2 of 3 updated replicas are available..."));
    assertThat(
            health(
                head
                    + "status:\n  observedGeneration: 2\n  conditions: [{type: Progressing, status: 'False', reason: ProgressDeadlineExceeded}]\n"))
        .isEqualTo(of(HealthStatus.DEGRADED, "Deployment \"web\" exceeded its progress deadline"));
    assertThat(health(head + "spec: {paused: true}\n"))
        .isEqualTo(of(HealthStatus.SUSPENDED, "Deployment is paused"));
    // gitops-engine converts to the typed struct: a wrong type or an old API version is Unknown
    assertThat(health(head + "spec: {replicas: three}\nstatus: {observedGeneration: 2}\n").status())
        .isEqualTo(HealthStatus.UNKNOWN);
    assertThat(health(head.replace("apps/v1", "apps/v1beta2")))
        .isEqualTo(
            of(HealthStatus.UNKNOWN, "unsupported Deployment GVK: apps/v1beta2, Kind=Deployment"));
  }

  @Test
  void statefulSetAndDaemonSetFollowTheirUpdateStrategy() {
    String sts = "apiVersion: apps/v1\nkind: StatefulSet\nmetadata: {name: db, generation: 1}\n";
    assertThat(
            health(
                sts
                    + "spec: {replicas: 2, updateStrategy: {type: OnDelete}}\nstatus: {observedGeneration: 1, readyReplicas: 2}\n"))
        .isEqualTo(of(HealthStatus.HEALTHY, "statefulset has 2 ready pods"));
    assertThat(
            health(
                sts
                    + "spec: {replicas: 4, updateStrategy: {type: RollingUpdate, rollingUpdate: {partition: 2}}}\nstatus: {observedGeneration: 1, readyReplicas: 4, updatedReplicas: 1}\n"))
        .isEqualTo(
            of(
                HealthStatus.PROGRESSING,
                "Waiting for partitioned roll out to finish: 1 out of 2 new pods have been updated..."));
    assertThat(
            health(
                sts
                    + "spec: {replicas: 2}\nstatus: {observedGeneration: 1, readyReplicas: 2, updatedReplicas: 2, currentRevision: a, updateRevision: b}\n"))
        .isEqualTo(
            of(
                HealthStatus.PROGRESSING,
                "waiting for statefulset rolling update to complete 2 pods at revision b..."));
    assertThat(health(sts + "spec: {replicas: 2}\nstatus: {readyReplicas: 2}\n"))
        .isEqualTo(
            of(HealthStatus.PROGRESSING, "Waiting for statefulset spec update to be observed..."));
    String ds = "apiVersion: apps/v1\nkind: DaemonSet\nmetadata: {name: agent}\n";
    assertThat(
            health(
                ds
                    + "status: {desiredNumberScheduled: 3, updatedNumberScheduled: 3, numberAvailable: 1}\n"))
        .isEqualTo(
            of(
                HealthStatus.PROGRESSING,
                "Waiting for daemon set \"agent\" rollout to finish: 1 of 3 updated pods are available..."));
  }

  @Test
  void podRestartPolicyAnnotationAndHooks() {
    String waiting =
        "status:\n  phase: Running\n  containerStatuses:\n  - name: main\n    state: {waiting: {reason: ImagePullBackOff, message: no such image}}\n";
    String pod = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n";
    assertThat(health(pod + "spec: {restartPolicy: Always}\n" + waiting))
        .isEqualTo(of(HealthStatus.DEGRADED, "no such image"));
    // a hook pod (Never) whose image is not there yet must not fail its phase
    assertThat(health(pod + "spec: {restartPolicy: Never}\n" + waiting).status())
        .isEqualTo(HealthStatus.PROGRESSING);
    String ignore = "  annotations: {argocd.argoproj.io/ignore-restart-policy: 'true'}\n";
    assertThat(health(pod + ignore + "spec: {restartPolicy: Never}\n" + waiting))
        .isEqualTo(of(HealthStatus.DEGRADED, "no such image"));
    String ready =
        "status:\n  phase: Running\n  message: fine\n  conditions: [{type: Ready, status: 'True'}]\n";
    assertThat(health(pod + ignore + "spec: {restartPolicy: OnFailure}\n" + ready))
        .isEqualTo(of(HealthStatus.HEALTHY, "fine"));
    String hook =
        "  annotations: {argocd.argoproj.io/ignore-restart-policy: 'true', argocd.argoproj.io/hook: PreSync}\n";
    assertThat(health(pod + hook + "spec: {restartPolicy: Never}\n" + ready))
        .isEqualTo(of(HealthStatus.PROGRESSING, "fine"));
    assertThat(
            health(
                pod
                    + "spec: {restartPolicy: Never}\nstatus:\n  phase: Failed\n  containerStatuses:\n  - name: main\n    state: {terminated: {exitCode: 2}}\n"))
        .isEqualTo(of(HealthStatus.DEGRADED, "container \"main\" failed with exit code 2"));
    assertThat(
            health(
                    pod
                        + "spec: {restartPolicy: Always}\nstatus:\n  phase: Running\n  containerStatuses:\n  - name: main\n    lastState: {terminated: {exitCode: 1}}\n")
                .status())
        .isEqualTo(HealthStatus.DEGRADED);
  }

  @Test
  void pendingDeletionUnlessTheHookFinalizerHoldsIt() {
    String job =
        "apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: migrate\n  deletionTimestamp: '2026-01-01T00:00:00Z'\n";
    assertThat(health(job)).isEqualTo(of(HealthStatus.PROGRESSING, "Pending deletion"));
    assertThat(
            health(
                job
                    + "  finalizers: [argocd.argoproj.io/hook-finalizer]\nstatus:\n  conditions: [{type: Complete, status: 'True'}]\n"))
        .isEqualTo(of(HealthStatus.HEALTHY, ""));
    // even a kind without a check is Progressing while it is deleted
    assertThat(
            health(
                    "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c, deletionTimestamp: '2026-01-01T00:00:00Z'}\n")
                .status())
        .isEqualTo(HealthStatus.PROGRESSING);
  }

  @Test
  void jobsAndCronJobs() {
    String job = "apiVersion: batch/v1\nkind: Job\nmetadata: {name: j}\n";
    assertThat(
            health(
                job
                    + "status:\n  conditions: [{type: Failed, status: 'True', message: BackoffLimitExceeded}]\n"))
        .isEqualTo(of(HealthStatus.DEGRADED, "BackoffLimitExceeded"));
    assertThat(
            health(
                    job
                        + "spec: {suspend: true}\nstatus:\n  conditions: [{type: Suspended, status: 'True', message: Job suspended}]\n")
                .status())
        .isEqualTo(HealthStatus.SUSPENDED);
    String cron = "apiVersion: batch/v1\nkind: CronJob\nmetadata: {name: c}\n";
    assertThat(health(cron + "spec: {suspend: true}\nstatus: {}\n"))
        .isEqualTo(of(HealthStatus.HEALTHY, "CronJob is Suspended"));
    assertThat(
            health(
                cron
                    + "spec: {}\nstatus: {lastScheduleTime: '2026-01-02T00:00:00Z', lastSuccessfulTime: '2026-01-01T00:00:00Z'}\n"))
        .isEqualTo(
            of(HealthStatus.DEGRADED, "CronJob has not completed its last execution successfully"));
    assertThat(health(cron + "spec: {}\nstatus: {}\n"))
        .isEqualTo(of(HealthStatus.HEALTHY, "CronJob has not been scheduled yet"));
  }

  @Test
  void hpaV1AnnotationAndDegradedFirst() {
    String v1 = "apiVersion: autoscaling/v1\nkind: HorizontalPodAutoscaler\nmetadata:\n  name: h\n";
    assertThat(health(v1)).isEqualTo(of(HealthStatus.PROGRESSING, "Waiting to Autoscale"));
    assertThat(
            health(
                v1
                    + "  annotations:\n    autoscaling.alpha.kubernetes.io/conditions: '[{\"type\":\"AbleToScale\",\"status\":\"True\",\"message\":\"ok\"},{\"type\":\"ScalingActive\",\"status\":\"False\",\"reason\":\"FailedGetExternalMetric\",\"message\":\"no metric\"}]'\n"))
        .isEqualTo(of(HealthStatus.DEGRADED, "no metric"));
    assertThat(
            health(
                    v1
                        + "  annotations:\n    autoscaling.alpha.kubernetes.io/conditions: 'not json'\n")
                .status())
        .isEqualTo(HealthStatus.UNKNOWN);
    String v2 = "apiVersion: autoscaling/v2\nkind: HorizontalPodAutoscaler\nmetadata: {name: h}\n";
    assertThat(
            health(
                v2
                    + "status:\n  conditions: [{type: ScalingLimited, status: 'True', message: capped}]\n"))
        .isEqualTo(of(HealthStatus.HEALTHY, "capped"));
    assertThat(health(v2.replace("v2", "v3")).status()).isEqualTo(HealthStatus.UNKNOWN);
  }

  @Test
  void rolloutsAsArgoCdsScriptSeesThem() {
    String head =
        "apiVersion: argoproj.io/v1alpha1\nkind: Rollout\nmetadata:\n  name: r\n  generation: 4\n";
    assertThat(health(head + "spec: {strategy: {canary: {}}}\nstatus: {observedGeneration: '3'}\n"))
        .isEqualTo(of(HealthStatus.PROGRESSING, "Waiting for rollout spec update to be observed"));
    // an old controller's hash is observed
    assertThat(
            health(
                head
                    + "spec: {strategy: {canary: {}}}\nstatus: {observedGeneration: 5c788f4484, phase: Healthy}\n"))
        .isEqualTo(of(HealthStatus.HEALTHY, ""));
    assertThat(
            health(
                head
                    + "  annotations: {rollout.argoproj.io/workload-generation: '2'}\nspec: {workloadRef: {kind: Deployment, name: d}}\nstatus: {observedGeneration: '4', workloadObservedGeneration: '1', phase: Healthy}\n"))
        .isEqualTo(of(HealthStatus.PROGRESSING, "Waiting for rollout spec update to be observed"));
    assertThat(
            health(
                head
                    + "spec: {}\nstatus: {observedGeneration: '4', phase: Paused, message: CanaryPauseStep}\n"))
        .isEqualTo(of(HealthStatus.SUSPENDED, "CanaryPauseStep"));
    assertThat(
            health(
                head
                    + "spec: {}\nstatus:\n  observedGeneration: '4'\n  conditions: [{type: InvalidSpec, status: 'True', message: bad spec}]\n"))
        .isEqualTo(of(HealthStatus.DEGRADED, "bad spec"));
    assertThat(
            health(
                head
                    + "spec: {}\nstatus:\n  observedGeneration: '4'\n  conditions: [{type: Progressing, reason: RolloutAborted, message: Rollout aborted update to revision 3}]\n"))
        .isEqualTo(of(HealthStatus.DEGRADED, "Rollout aborted update to revision 3"));
  }

  @Test
  void workflowsAndApiServices() {
    assertThat(
            health(
                "apiVersion: argoproj.io/v1alpha1\nkind: Workflow\nmetadata: {name: w}\nstatus: {phase: Error, message: oops}\n"))
        .isEqualTo(of(HealthStatus.DEGRADED, "oops"));
    assertThat(
            health(
                "apiVersion: apiregistration.k8s.io/v1\nkind: APIService\nmetadata: {name: v1.x}\n"))
        .isEqualTo(of(HealthStatus.PROGRESSING, "Waiting to be processed"));
  }
}
