package io.railrush.app.grab;

import jakarta.validation.ConstraintViolation;
import jakarta.validation.Validator;
import jakarta.validation.constraints.Pattern;
import java.util.Set;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/**
 * The grab's optional JSON body: one record, its rules in its Jakarta annotations, read and checked
 * the same way by both HTTP paths — {@link GrabController} through Spring MVC's {@code @Valid}, and
 * {@link LeanGrabFilter} through {@link Reader}, which uses the same mapper and validator. A field
 * the grab learns is added here once.
 *
 * @param couponId a coupon of the caller's to take off the fare, or null
 */
record GrabRequest(
    @Pattern(regexp = GrabDesk.COUPON_ID_REGEX, message = GrabDesk.COUPON_ID_MESSAGE)
        String couponId) {

  /** Reads a body as Spring MVC would, for the lean path; no body is no request. */
  @Component
  static final class Reader {

    private final JsonMapper json;
    private final Validator validator;

    Reader(JsonMapper json, Validator validator) {
      this.json = json;
      this.validator = validator;
    }

    /**
     * The request of a JSON body (null for an empty one).
     *
     * @throws RuntimeException when it does not parse or break a rule: the caller hands it to
     *     Spring MVC, which answers what is wrong with it
     */
    GrabRequest read(byte[] body) {
      if (body.length == 0) {
        return null;
      }
      GrabRequest request = json.readValue(body, GrabRequest.class);
      if (request == null) {
        throw new IllegalArgumentException("a JSON null is not a grab");
      }
      Set<ConstraintViolation<GrabRequest>> broken = validator.validate(request);
      if (!broken.isEmpty()) {
        throw new IllegalArgumentException("not a valid grab: " + broken);
      }
      return request;
    }
  }
}
