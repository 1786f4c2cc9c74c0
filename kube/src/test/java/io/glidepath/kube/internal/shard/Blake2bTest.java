package io.glidepath.kube.internal.shard;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class Blake2bTest {
  private static String hex(String s) {
    return HexFormat.of().formatHex(Blake2b.digest512(s.getBytes(StandardCharsets.UTF_8)));
  }

  @Test
  void matchesTheRfc7693ExampleAndTheEmptyInput() {
    assertThat(hex("abc"))
        .isEqualTo(
            "ba80a53f981c4d0d6a2797b69f12f6e94c212f14685ac4b74b12bb6fdbffa2d1"
                + "7d87c5392aab792dc252d5de4533cc9518d38aa8dbf1925ab92386edd4009923");
    assertThat(hex(""))
        .isEqualTo(
            "786a02f742015903c6c6fd852552d272912f4740e15847618a86e217f71f5419"
                + "d25e1031afee585313896444934eb04b903a685b1448b755d56f701afe9be2ce");
  }

  @Test
  void handlesInputsOfExactlyOneBlockAndJustOver() {
    // digests from Python's hashlib.blake2b, an independent implementation
    assertThat(hex("x".repeat(128))).startsWith("082b91ea2e15d1556d2ceefdd5af5d64");
    assertThat(hex("x".repeat(129))).startsWith("362a53bbe2ec08097b2f358a41d0e153");
  }

  @Test
  void theRingHashIsTheFirstEightBytesLittleEndian() {
    assertThat(Long.toUnsignedString(ArgoShardAssignment.Ring.hash("0")))
        .isEqualTo("13878215301362151913");
    assertThat(ArgoShardAssignment.Ring.hash("abc")).isEqualTo(958453735928201402L);
  }
}
