package io.glidepath.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class WebhookReceiverTest {

  @Test
  void keepsEachPostedNotificationAndHandsItOn() throws Exception {
    List<String> printed = new ArrayList<>();
    try (WebhookReceiver receiver = WebhookReceiver.start(printed::add)) {
      HttpResponse<Void> r =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(receiver.uri())
                      .POST(HttpRequest.BodyPublishers.ofString("{\"text\":\"rolled back\"}"))
                      .build(),
                  HttpResponse.BodyHandlers.discarding());
      assertThat(r.statusCode()).isEqualTo(204);
      assertThat(receiver.next(Duration.ofSeconds(5))).contains("{\"text\":\"rolled back\"}");
      assertThat(receiver.messages()).containsExactly("{\"text\":\"rolled back\"}");
      assertThat(printed).containsExactly("{\"text\":\"rolled back\"}");
    }
  }
}
