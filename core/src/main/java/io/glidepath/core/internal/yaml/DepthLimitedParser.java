package io.glidepath.core.internal.yaml;

import io.glidepath.core.Origin;
import io.glidepath.core.yaml.YamlException;
import java.util.function.Function;
import org.snakeyaml.engine.v2.events.Event;
import org.snakeyaml.engine.v2.exceptions.Mark;
import org.snakeyaml.engine.v2.parser.Parser;

/**
 * A parser that refuses nesting deeper than a limit as the events arrive, before the composer
 * (which builds nodes recursively, one stack frame per level) sees them: 5,000 nested {@code [} end
 * with a {@link YamlException} naming the line, not a {@code StackOverflowError}.
 */
public final class DepthLimitedParser implements Parser {
  private final Parser delegate;
  private final int maxDepth;
  private final Function<Mark, Origin> origin;
  private int depth;

  /**
   * @param origin where a mark is, for the error (file, document, line, column)
   */
  public DepthLimitedParser(Parser delegate, int maxDepth, Function<Mark, Origin> origin) {
    this.delegate = delegate;
    this.maxDepth = maxDepth;
    this.origin = origin;
  }

  @Override
  public boolean checkEvent(Event.ID choice) {
    return delegate.checkEvent(choice);
  }

  @Override
  public Event peekEvent() {
    return delegate.peekEvent();
  }

  @Override
  public boolean hasNext() {
    return delegate.hasNext();
  }

  @Override
  public Event next() {
    Event event = delegate.next();
    switch (event.getEventId()) {
      case SequenceStart, MappingStart -> {
        if (++depth > maxDepth) {
          throw new YamlException(
              event.getStartMark().map(origin).orElseGet(() -> origin.apply(null)),
              "nesting deeper than " + maxDepth + " levels");
        }
      }
      case SequenceEnd, MappingEnd -> depth--;
      default -> {
        // scalars, aliases, stream and document events do not nest
      }
    }
    return event;
  }
}
