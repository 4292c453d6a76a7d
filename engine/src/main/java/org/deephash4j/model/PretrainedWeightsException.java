package org.deephash4j.model;

import java.io.IOException;

/**
 * A pretrained weights file that does not fit the backbone: a missing, unexpected or mis-shaped
 * tensor, named in the message ({@code resnet18.safetensors: tensor 'layer1.0.conv1.weight' has
 * shape [64, 32, 3, 3] but resnet18 expects [64, 64, 3, 3]}). A bad input file: exit code 3.
 */
public final class PretrainedWeightsException extends IOException {
    public PretrainedWeightsException(String message) {
        super(message);
    }
}
