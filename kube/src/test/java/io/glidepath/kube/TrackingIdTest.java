package io.glidepath.kube;

import static org.assertj.core.api.Assertions.assertThat;

import io.glidepath.core.resource.ResourceKey;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

class TrackingIdTest {
  @Provide
  Arbitrary<String> names() {
    return Arbitraries.strings()
        .withCharRange('a', 'z')
        .numeric()
        .withChars('-', '.')
        .ofMinLength(1)
        .ofMaxLength(20);
  }

  @Provide
  Arbitrary<String> maybeEmpty() {
    return Arbitraries.oneOf(Arbitraries.just(""), names());
  }

  @Property
  void formattedIdsParseBackToTheSameOwnerAndKey(
      @ForAll("names") String app,
      @ForAll("maybeEmpty") String group,
      @ForAll("names") String kind,
      @ForAll("maybeEmpty") String namespace,
      @ForAll("names") String name) {
    TrackingId id = TrackingId.of(app, new ResourceKey(group, kind, namespace, name));

    assertThat(TrackingId.parse(id.value())).contains(id);
  }
}
