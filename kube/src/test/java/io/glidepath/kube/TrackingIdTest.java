package io.glidepath.kube;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.arbitrary;
import static org.quicktheories.generators.SourceDSL.lists;

import io.glidepath.core.resource.ResourceKey;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.Generate;

class TrackingIdTest {
  private static final List<Character> NAME_CHARS =
      "abcdefghijklmnopqrstuvwxyz0123456789-.".chars().mapToObj(c -> (char) c).toList();

  static Gen<String> names() {
    return lists()
        .of(arbitrary().pick(NAME_CHARS))
        .ofSizeBetween(1, 20)
        .map(cs -> cs.stream().map(String::valueOf).collect(Collectors.joining()));
  }

  static Gen<String> maybeEmpty() {
    return Generate.oneOf(Generate.constant(""), names());
  }

  @Test
  void formattedIdsParseBackToTheSameOwnerAndKey() {
    qt().withExamples(1000)
        .forAll(
            names().zip(maybeEmpty(), names(), (app, group, kind) -> List.of(app, group, kind)),
            maybeEmpty(),
            names())
        .checkAssert(
            (owner, namespace, name) -> {
              TrackingId id =
                  TrackingId.of(
                      owner.get(0), new ResourceKey(owner.get(1), owner.get(2), namespace, name));

              assertThat(TrackingId.parse(id.value())).contains(id);
            });
  }
}
