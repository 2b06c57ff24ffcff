package io.railrush.app.catalog;

import com.fasterxml.jackson.annotation.JsonFormat;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.OffsetDateTime;

/** {@code POST /api/v1/admin/runs}. */
record CreateRunRequest(
    @NotNull
        @Pattern(
            regexp = "[GDCZTKYSL]?[0-9]{1,4}",
            message = "must be a train number such as G296 or K1")
        String trainNo,
    @NotNull LocalDate departureDate,
    @NotBlank @Size(max = 32) String origin,
    @NotBlank @Size(max = 32) String destination,
    @NotNull @JsonFormat(pattern = "HH:mm") LocalTime departureTime,
    @NotNull @Min(1) @Max(5000) Integer seats,
    @NotNull @Min(1) @Max(100_000_000) Long priceCents,
    OffsetDateTime saleOpensAt) {}
